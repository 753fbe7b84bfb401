import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrationCurve } from '../../../src/ml/metrics/calibration-curve.js';
import { precisionRecallCurve, rocCurve } from '../../../src/ml/metrics/ranking-metrics.js';

// Figures from scikit-learn 1.2.1 on the same arrays:
//   roc_curve(y, s, drop_intermediate=False); precision_recall_curve(y, s) reversed; calibration_curve(y, s, n_bins=5)
const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
const s = [0.1, 0.4, 0.35, 0.8, 0.1, 0.9, 0.3, 0.3, 0.7, 0.2, 0.5, 1.0];
const close = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs((actual[i] as number) - e) < 1e-12, `[${i}] ${actual[i]} vs ${e}`));
};

describe('curves for the training report', () => {
  it('ROC curve as scikit-learn roc_curve (ties are one threshold)', () => {
    const r = rocCurve(y, s);
    close(r.fpr, [0, 0, 0, 0, 0, 1 / 6, 1 / 3, 1 / 3, 0.5, 2 / 3, 1]);
    close(r.tpr, [0, 1 / 6, 1 / 3, 0.5, 2 / 3, 2 / 3, 2 / 3, 5 / 6, 1, 1, 1]);
    assert.equal(rocCurve([1, 1], [0.2, 0.3]).fpr.length, 0);
  });

  it('precision–recall curve as scikit-learn precision_recall_curve, recall rising', () => {
    const r = precisionRecallCurve(y, s);
    close(r.precision, [1, 1, 1, 1, 1, 0.8, 2 / 3, 5 / 7, 2 / 3, 0.6, 0.5]);
    close(r.recall, [0, 1 / 6, 1 / 3, 0.5, 2 / 3, 2 / 3, 2 / 3, 5 / 6, 1, 1, 1]);
  });

  it('reliability curve as scikit-learn calibration_curve (uniform bins; a value on an edge goes below)', () => {
    const c = calibrationCurve(y, s, 5);
    close(c.fractionPositive, [0, 0.5, 0, 1, 1]);
    close(c.meanPredicted, [0.4 / 3, 0.3375, 0.5, 0.75, 0.95]);
    assert.deepEqual(c.counts, [3, 4, 1, 2, 2]);
    assert.throws(() => calibrationCurve([1], [1.5]), /outside \[0, 1\]/);
  });
});

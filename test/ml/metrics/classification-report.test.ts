import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classificationReport, confusionMatrix, macroF1 } from '../../../src/ml/metrics/classification-report.js';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

describe('classification report', () => {
  // Hand count: class 0: tp 1 of 2 predicted, 2 true; class 1: tp 2 of 3 predicted, 3 true; class 2: 1/1/1.
  const yTrue = [0, 0, 1, 1, 1, 2];
  const yPred = [0, 1, 1, 1, 0, 2];

  it('computes per-class precision, recall, F1 and support', () => {
    const r = classificationReport(yTrue, yPred);
    assert.deepEqual(r.labels, [0, 1, 2]);
    const [c0, c1, c2] = r.perClass;
    close(c0!.precision, 0.5);
    close(c0!.recall, 0.5);
    close(c0!.f1, 0.5);
    assert.equal(c0!.support, 2);
    close(c1!.precision, 2 / 3);
    close(c1!.recall, 2 / 3);
    close(c1!.f1, 2 / 3);
    assert.equal(c1!.support, 3);
    assert.deepEqual([c2!.precision, c2!.recall, c2!.f1, c2!.support], [1, 1, 1, 1]);
  });

  it('averages: macro, weighted, accuracy', () => {
    const r = classificationReport(yTrue, yPred);
    close(r.macroF1, (0.5 + 2 / 3 + 1) / 3);
    close(r.weightedF1, (0.5 * 2 + (2 / 3) * 3 + 1) / 6);
    close(r.accuracy, 4 / 6);
    close(macroF1(yTrue, yPred), r.macroF1);
  });

  it('builds the confusion matrix with true labels as rows', () => {
    assert.deepEqual(confusionMatrix(yTrue, yPred), [
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
  });

  it('treats a never-predicted class as precision 0, not NaN', () => {
    const r = classificationReport([0, 1, 1], [0, 0, 0]);
    assert.equal(r.perClass[1]!.precision, 0);
    assert.equal(r.perClass[1]!.f1, 0);
    close(r.perClass[0]!.precision, 1 / 3);
  });

  it('rejects arrays of different length', () => {
    assert.throws(() => classificationReport([0, 1], [0]), /true labels/);
  });
});

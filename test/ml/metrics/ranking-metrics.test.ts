import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averagePrecision, precisionAtK, precisionAtRate, rocAuc } from '../../../src/ml/metrics/ranking-metrics.js';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

describe('ranking metrics', () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('ROC-AUC counts correctly ordered pairs (3 of 4 here)', () => {
    close(rocAuc(y, s), 0.75);
    close(rocAuc(y, [0.1, 0.2, 0.8, 0.35]), 1);
  });

  it('ROC-AUC counts tied scores as half, like scikit-learn', () => {
    close(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
    // positives 0.6, 0.6; negatives 0.2, 0.6: pairs 1 + 1 + ½ + ½ of 4
    close(rocAuc([0, 1, 1, 0], [0.2, 0.6, 0.6, 0.6]), 0.75);
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])));
  });

  it('average precision is the recall-weighted step sum', () => {
    // thresholds 0.8 (P 1, R ½), 0.4 (P ½, R ½), 0.35 (P ⅔, R 1): ½·1 + ½·⅔
    close(averagePrecision(y, s), 0.5 + 0.5 * (2 / 3));
    // A tie between a positive and a negative is one threshold: P ½ at R 1
    close(averagePrecision([1, 0], [0.5, 0.5]), 0.5);
    assert.ok(Number.isNaN(averagePrecision([0, 0], [0.1, 0.2])));
  });

  it('precision at k and at the known positive rate', () => {
    const yy = [1, 0, 1, 0, 0];
    const ss = [0.9, 0.8, 0.7, 0.1, 0.2];
    close(precisionAtK(yy, ss, 1), 1);
    close(precisionAtK(yy, ss, 2), 0.5);
    close(precisionAtK(yy, ss, 3), 2 / 3);
    close(precisionAtRate(yy, ss), 0.5); // rate 2/5 → k = 2
    close(precisionAtRate(yy, ss, 0.6), 2 / 3);
    assert.throws(() => precisionAtK(yy, ss, 0), /k must be/);
  });

  it('accepts another positive label', () => {
    close(rocAuc([5, 5, 7, 7], s, 7), 0.75);
  });
});

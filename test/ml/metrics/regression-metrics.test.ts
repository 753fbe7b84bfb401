import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  r2Score,
  regressionReport,
  rootMeanSquaredError,
} from '../../../src/ml/metrics/regression-metrics.js';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

describe('regression metrics', () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0, 2, 8];

  it('MAE and RMSE', () => {
    close(meanAbsoluteError(yTrue, yPred), (0.5 + 0.5 + 0 + 1) / 4);
    close(rootMeanSquaredError(yTrue, yPred), Math.sqrt((0.25 + 0.25 + 0 + 1) / 4));
  });

  it('R² = 1 − SS_res / SS_tot', () => {
    // mean 2.875; SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; SS_res = 1.5
    close(r2Score(yTrue, yPred), 1 - 1.5 / 29.1875);
    assert.equal(r2Score([2, 2], [2, 2]), 1);
    assert.equal(r2Score([2, 2], [2, 3]), 0);
  });

  it('MAPE skips zero targets and reports how many', () => {
    const m = meanAbsolutePercentageError([0, 2, 4], [1, 1, 5]);
    close(m.value, (0.5 + 0.25) / 2);
    assert.equal(m.skippedZeroTargets, 1);
    assert.ok(Number.isNaN(meanAbsolutePercentageError([0], [1]).value));
  });

  it('collects all figures in one report', () => {
    const r = regressionReport(yTrue, yPred);
    assert.equal(r.n, 4);
    close(r.mae, 0.5);
    assert.equal(r.mapeSkippedZeroTargets, 0);
    assert.throws(() => regressionReport([], []), /at least one/);
  });
});

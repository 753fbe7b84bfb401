import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeSeeds,
  formatMeanSd,
  meanSd,
  nearestToMean,
  summariseSeeds,
} from '../../../src/ml/metrics/seed-summary.js';

describe('figures over seeds', () => {
  it('mean and sample standard deviation (n − 1), as numpy.std(ddof=1)', () => {
    // numpy: np.mean([0.8, 0.9, 0.85, 0.95]) = 0.875, np.std(..., ddof=1) = 0.0645497224
    const m = meanSd([0.8, 0.9, 0.85, 0.95]);
    assert.equal(m.n, 4);
    assert.ok(Math.abs(m.mean - 0.875) < 1e-12);
    assert.ok(Math.abs(m.sd - 0.0645497224367903) < 1e-12);
    assert.deepEqual(meanSd([0.7]), { mean: 0.7, sd: 0, n: 1 });
  });

  it('leaves undefined values (NaN) out of the mean and says how many counted', () => {
    const m = meanSd([0.5, Number.NaN, 0.7]);
    assert.equal(m.n, 2);
    assert.ok(Math.abs(m.mean - 0.6) < 1e-12);
    assert.equal(meanSd([Number.NaN]).n, 0);
  });

  it('the registered seed is the one nearest the mean, not the best', () => {
    // mean 0.85: seed 2 (0.86) is nearest; seed 1 (0.95) is the best and must not be chosen
    const s = summariseSeeds([
      { seed: 0, primary: 0.8, metrics: { macro_f1: 0.8, roc_auc: 0.9 } },
      { seed: 1, primary: 0.95, metrics: { macro_f1: 0.95, roc_auc: 0.97 } },
      { seed: 2, primary: 0.86, metrics: { macro_f1: 0.86, roc_auc: 0.93 } },
      { seed: 3, primary: 0.79, metrics: { macro_f1: 0.79, roc_auc: 0.91 } },
    ]);
    assert.equal(s.registered, 2);
    assert.ok(Math.abs(s.primary.mean - 0.85) < 1e-12);
    assert.deepEqual(Object.keys(s.metrics), ['macro_f1', 'roc_auc']);
    assert.ok(Math.abs(s.metrics.roc_auc!.mean - 0.9275) < 1e-12);
    assert.deepEqual(s.seeds, [0, 1, 2, 3]);
    assert.equal(s.perSeed[1]!.metrics.macro_f1, 0.95);
  });

  it('a tie goes to the earlier seed; a lower-is-better metric works the same way', () => {
    assert.equal(nearestToMean([1, 3, 2, 2]), 2); // mean 2: index 2 and 3 tie
    assert.equal(nearestToMean([1, 3]), 0);
    assert.equal(nearestToMean([Number.NaN, 12.4, 13.0, 12.9]), 3); // mean 12.77 of the three finite values
  });

  it('formats mean ± sd and seed lists for people', () => {
    assert.equal(formatMeanSd({ mean: 0.85123, sd: 0.01921, n: 10 }), '0.8512 ± 0.0192');
    assert.equal(formatMeanSd({ mean: Number.NaN, sd: Number.NaN, n: 0 }), 'n/a');
    assert.equal(describeSeeds([0, 1, 2, 3]), 'seeds 0–3');
    assert.equal(describeSeeds([1, 4, 9]), 'seeds 1, 4, 9');
    assert.equal(describeSeeds([7]), 'seed 7');
  });
});

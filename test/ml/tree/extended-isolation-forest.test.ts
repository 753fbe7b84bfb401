import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExtendedIsolationForest } from '../../../src/ml/tree/extended-isolation-forest.js';
import { IsolationForest } from '../../../src/ml/tree/isolation-forest.js';
import { matrixFromRows } from '../../../src/ml/tree/matrix.js';
import { rocAuc } from '../../../src/ml/metrics/ranking-metrics.js';
import { Random } from '../../../src/random.js';

/** Normal operation along a correlation (b ≈ 2a, at a voltage-like offset); faults break it within the sensors' ranges. */
function data(seed: number) {
  const rng = new Random(seed);
  const fit = Array.from({ length: 500 }, () => {
    const a = rng.nextNormal();
    return [230 + a, 460 + 2 * a + 0.1 * rng.nextNormal()];
  });
  const test: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const a = rng.nextNormal();
    const fault = i % 4 === 0;
    test.push([230 + a, 460 + (fault ? -2 * a + 0.5 * Math.sign(a) : 2 * a) + 0.1 * rng.nextNormal()]);
    y.push(fault ? 1 : 0);
  }
  return { fit: matrixFromRows(fit), test: matrixFromRows(test), y };
}

describe('extended isolation forest', () => {
  it('is deterministic for a seed, survives toJSON/fromJSON and ranks broken correlations above the plain forest', () => {
    const { fit, test, y } = data(1);
    const a = new ExtendedIsolationForest({ seed: 3 }).train(fit);
    const b = new ExtendedIsolationForest({ seed: 3 }).train(fit);
    assert.deepEqual(a.scoreSamples(test), b.scoreSamples(test));
    const copy = ExtendedIsolationForest.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepEqual(copy.scoreSamples(test), a.scoreSamples(test));
    const extended = rocAuc(
      y,
      a.scoreSamples(test).map((s) => -s),
    );
    const plain = rocAuc(
      y,
      new IsolationForest({ seed: 3 })
        .train(fit)
        .scoreSamples(test)
        .map((s) => -s),
    );
    assert.ok(extended > plain, `extended ${extended} vs plain ${plain}`);
    assert.ok(extended > 0.8, `extended ROC-AUC ${extended}`);
  });
});

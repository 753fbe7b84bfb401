import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeDepths } from '../../../src/ml/tree/flat-tree.js';
import { IsolationForest } from '../../../src/ml/tree/isolation-forest.js';
import { averagePathLength } from '../../../src/ml/tree/isolation-tree.js';
import { matrixFromColumns } from '../../../src/ml/tree/matrix.js';
import { Random } from '../../../src/random.js';

/** 500 inliers in a unit Gaussian blob and 5 points far outside it. */
function blobWithOutliers(): { x: ReturnType<typeof matrixFromColumns>; outliers: number[] } {
  const rng = new Random(21);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 500; i++) {
    a.push(gauss());
    b.push(gauss());
  }
  const far = [
    [8, 8],
    [-9, 0],
    [0, 10],
    [7, -7],
    [-8, -8],
  ];
  const outliers: number[] = [];
  for (const [u, v] of far) {
    outliers.push(a.length);
    a.push(u as number);
    b.push(v as number);
  }
  return { x: matrixFromColumns([a, b]), outliers };
}

describe('isolation forest', () => {
  it('c(n) matches the hand-computed average path length', () => {
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    // c(3) = 2(ln 2 + γ) − 4/3
    assert.ok(Math.abs(averagePathLength(3) - 1.2073921) < 1e-6);
    // c(256) = 2(ln 255 + γ) − 2·255/256
    assert.ok(Math.abs(averagePathLength(256) - 10.2447) < 1e-4);
  });

  it('scores far outliers as more abnormal than every inlier', () => {
    const { x, outliers } = blobWithOutliers();
    const forest = new IsolationForest({ seed: 1 }).train(x);
    const s = forest.scoreSamples(x);
    const worstInlier = Math.min(...[...s].filter((_, i) => !outliers.includes(i)));
    for (const o of outliers) assert.ok(s[o]! < worstInlier, `outlier ${o} score ${s[o]} vs inliers >= ${worstInlier}`);
    for (const v of s) assert.ok(v < 0 && v >= -1);
    assert.equal(forest.offset, -0.5);
    const labels = forest.predict(x);
    for (const o of outliers) assert.equal(labels[o], -1);
  });

  it('grows trees on min(256, n) rows to height ceil(log2(256)) = 8', () => {
    const { x } = blobWithOutliers();
    const forest = new IsolationForest({ seed: 2, nEstimators: 10 }).train(x);
    assert.equal(forest.maxSamples, 256);
    for (const t of forest.trees) {
      assert.equal(t.nSamples[0], 256);
      assert.ok(Math.max(...nodeDepths(t)) <= 8);
    }
  });

  it('sets the offset at the contamination quantile', () => {
    const { x } = blobWithOutliers();
    const forest = new IsolationForest({ seed: 3, contamination: 0.02 }).train(x);
    const flagged = [...forest.predict(x)].filter((v) => v === -1).length;
    assert.ok(flagged >= 10 && flagged <= 11, `flagged ${flagged} of 505`);
    const d = forest.decisionFunction(x);
    const s = forest.scoreSamples(x);
    assert.ok(Math.abs(d[0]! - (s[0]! - forest.offset)) < 1e-15);
  });

  it('is deterministic for a seed and survives toJSON/fromJSON', () => {
    const { x } = blobWithOutliers();
    const a = new IsolationForest({ seed: 9, nEstimators: 20 }).train(x);
    const b = new IsolationForest({ seed: 9, nEstimators: 20 }).train(x);
    assert.deepEqual([...a.scoreSamples(x)], [...b.scoreSamples(x)]);
    const c = IsolationForest.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepEqual([...c.scoreSamples(x)], [...a.scoreSamples(x)]);
  });
});

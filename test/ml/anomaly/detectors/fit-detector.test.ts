import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitDetector, type DetectorSpec } from '../../../../src/ml/anomaly/detectors/fit-detector.js';
import { rocAuc } from '../../../../src/ml/metrics/ranking-metrics.js';
import { Random } from '../../../../src/random.js';

describe('novelty detectors fitted on normal rows', () => {
  // Normal rows: two clusters in 3-D; anomalies: between and beyond them.
  const rng = new Random(3);
  const d = 3;
  const normal = (n: number) =>
    Float64Array.from({ length: n * d }, (_, i) => (Math.floor(i / d) % 2 ? 5 : 0) + rng.nextNormal() * 0.5 + 10);
  const fit = normal(400);
  const testNormal = normal(100);
  const anomalies = Float64Array.from({ length: 50 * d }, () => 10 + 2.5 + rng.nextNormal() * 0.3);
  const test = new Float64Array([...testNormal, ...anomalies]);
  const y = [...Array<number>(100).fill(0), ...Array<number>(50).fill(1)];
  const specs: DetectorSpec[] = [
    { kind: 'gmm', components: 2 },
    { kind: 'gmm', components: 1 },
    { kind: 'knn', k: 1 },
    { kind: 'isolation-forest', nEstimators: 50 },
  ];
  for (const spec of specs)
    it(`${spec.kind} ranks the rows between the clusters above the normal ones`, () => {
      const score = fitDetector(spec, fit, 400, d, { transform: 'log', seed: 0 });
      const auc = rocAuc(y, score(test, 150));
      // A single Gaussian cannot see the gap between the two clusters: it is the one expected to fail.
      if (spec.kind === 'gmm' && spec.components === 1) assert.ok(auc < 0.8, `${auc}`);
      else assert.ok(auc > 0.95, `${spec.kind}: ${auc}`);
    });
});

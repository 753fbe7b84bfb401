import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nabProfileNames, nabProfiles } from '../../../../src/ml/anomaly/nab/nab-profiles.js';
import { scoreDetections } from '../../../../src/ml/anomaly/nab/nab-score.js';
import { bestNabThreshold, nabThresholdSweep } from '../../../../src/ml/anomaly/nab/threshold-sweep.js';
import { Random } from '../../../../src/random.js';

describe('NAB threshold sweep', () => {
  it('equals scoring the detections at each threshold, summed over files', () => {
    const random = new Random(7);
    const files = [0, 1].map((f) => {
      const n = 300 + 50 * f;
      // Scores rounded to a few levels so that many rows tie, as NAB's do.
      const scores = Float64Array.from({ length: n }, () => Math.round(random.nextFloat() * 40) / 40);
      return {
        scores,
        windows: [
          { start: 30, end: 40 },
          { start: 120, end: 150 },
          { start: 260 + f * 20, end: 290 + f * 20 },
        ],
        probation: 45,
      };
    });
    for (const name of nabProfileNames) {
      const profile = nabProfiles[name];
      const sweep = nabThresholdSweep(files, profile);
      assert.equal(sweep[0]!.threshold, Infinity);
      assert.ok(sweep.length > 30);
      for (const s of sweep) {
        const total = files.reduce(
          (sum, f) =>
            sum +
            scoreDetections(
              Uint8Array.from(f.scores, (v) => (v >= s.threshold ? 1 : 0)),
              f.windows,
              profile,
              f.probation,
            ).raw,
          0,
        );
        assert.ok(Math.abs(total - s.score) < 1e-9, `${name} at ${s.threshold}: ${s.score} vs ${total}`);
      }
      const best = bestNabThreshold(files, profile);
      assert.equal(best.score, Math.max(...sweep.map((s) => s.score)));
      assert.ok(best.plateau[0] <= best.threshold && best.threshold <= best.plateau[1]);
    }
  });
});

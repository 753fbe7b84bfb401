import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alarmThreshold } from '../../../src/ml/anomaly/alarm-threshold.js';
import { trivialBaselines } from '../../../src/ml/anomaly/trivial-baselines.js';
import { trailingMean } from '../../../src/ml/features/trailing-mean.js';

describe('alarm thresholds', () => {
  const fit = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const calibration = [10, 20, 30, 40, 50];
  it('calibrated: the (1 − targetFar) quantile of the calibration scores, times the margin; never the fitted ones', () => {
    // numpy.quantile([10..50], 0.75) = 40
    assert.equal(
      alarmThreshold({ rule: 'calibrated', targetFar: 0.25, margin: 1 }, { fit, calibration, limit: null }),
      40,
    );
    assert.equal(
      alarmThreshold({ rule: 'calibrated', targetFar: 0.25, margin: 1.5 }, { fit, calibration, limit: null }),
      60,
    );
    assert.throws(() =>
      alarmThreshold({ rule: 'calibrated', targetFar: 0.25, margin: 1 }, { fit, calibration: [], limit: null }),
    );
  });
  it("fit-quantile (the leaderboard's rule) and model-limit", () => {
    assert.equal(
      alarmThreshold({ rule: 'fit-quantile', quantile: 0.5, margin: 4 / 3 }, { fit, calibration, limit: null }),
      5.5 * (4 / 3),
    );
    assert.equal(alarmThreshold({ rule: 'model-limit', margin: 2 }, { fit, calibration, limit: 1 }), 2);
    assert.throws(() => alarmThreshold({ rule: 'model-limit', margin: 1 }, { fit, calibration, limit: null }));
  });
  it('a margin on a negative threshold is refused (it would lower it)', () => {
    assert.throws(() =>
      alarmThreshold(
        { rule: 'fit-quantile', quantile: 0.5, margin: 2 },
        { fit: [-3, -2], calibration: null, limit: null },
      ),
    );
  });
});

describe('trivial baselines', () => {
  it('always-anomaly, position and a position-only forest on groups whose anomalies sit at the same rows', () => {
    const groups = 4;
    const n = 50;
    const labels = new Float64Array(groups * n);
    const positions = new Int32Array(groups * n);
    const ids = new Int32Array(groups * n);
    for (let g = 0; g < groups; g++)
      for (let p = 0; p < n; p++) {
        labels[g * n + p] = p >= 20 && p < 30 ? 1 : 0;
        positions[g * n + p] = p;
        ids[g * n + p] = g;
      }
    const b = trivialBaselines({ labels, positions, groups: ids, alarmRate: 0.2, positionCut: 40, seed: 1 });
    // 10 of 50 rows anomalous: always-anomaly F1 = 10 / (10 + 40 / 2).
    assert.ok(Math.abs(b['always-anomaly']!.f1! - 1 / 3) < 1e-12);
    assert.equal(b['always-anomaly']!.far, 1);
    // Position alarms from row 40: none of the anomalies.
    assert.equal(b.position!.f1, 0);
    // A forest on position alone, fitted on the other groups, finds rows 20–29 exactly.
    assert.equal(b['position-rf']!.f1, 1);
    assert.ok(Math.abs(b.random!.rocAuc - 0.5) < 0.15);
  });
});

describe('trailing mean', () => {
  it('the mean of the last w values up to t, over fewer values at the start; nothing from after t', () => {
    assert.deepEqual([...trailingMean([1, 2, 3, 4, 5], 3)], [1, 1.5, 2, 3, 4]);
    assert.deepEqual([...trailingMean([230.5, 231.5, 229.5], 2)], [230.5, 231, 230.5]);
  });
});

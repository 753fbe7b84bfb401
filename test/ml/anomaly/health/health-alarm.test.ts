import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthAlarm } from '../../../../src/ml/anomaly/health/health-alarm.js';

describe('health-indicator alarm', () => {
  // 20 fit rows alternating 1.0 / 1.1, 10 calibration rows with one bump to 1.3, then a rise.
  const fit = Array.from({ length: 20 }, (_, i) => (i % 2 ? 1.1 : 1.0));
  const calibration = [1.05, 1.0, 1.3, 1.1, 1.0, 1.05, 1.1, 1.0, 1.05, 1.0];
  const later = [1.0, 1.35, 1.0, 1.35, 1.35, 1.35, 1.0, 1.0, 1.0, 1.5, 1.6, 1.7, 1.8];
  const hi = Float64Array.from([...fit, ...calibration, ...later]);
  const settings = { fitRows: 20, calibrationRows: 10, quantile: 1, persistence: 3 };

  it('takes the threshold from the calibration rows, never from the fitted rows', () => {
    const a = healthAlarm(hi, settings);
    const maxCalibration = Math.max(...a.z.subarray(20, 30));
    assert.equal(a.threshold, maxCalibration);
    // The fitted rows' own maximum is lower: a threshold taken from them would alarm on the calibration bump.
    assert.ok(Math.max(...a.z.subarray(0, 20)) < a.threshold);
    assert.equal(a.calibrationExceedance, 0);
  });

  it('needs `persistence` rows in a row above the threshold and reports each episode', () => {
    const a = healthAlarm(hi, settings);
    assert.deepEqual(a.episodes, [
      [35, 35],
      [41, 42],
    ]);
  });
});

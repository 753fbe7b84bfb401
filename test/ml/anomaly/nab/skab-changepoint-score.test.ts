import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nabProfiles } from '../../../../src/ml/anomaly/nab/nab-profiles.js';
import {
  changepointWindows,
  skabChangepointScore,
  skabScale,
} from '../../../../src/ml/anomaly/nab/skab-changepoint-score.js';

describe("SKAB's changepoint score (NAB weights, SKAB's windows and scale)", () => {
  it('a hand-worked file: one window detected a third of the way in, one missed, two false changepoints', () => {
    // Rows at 0…9 s; changepoints at rows 2 and 6; 3-second windows: [2 s, 5 s] and [6 s, 9 s].
    // Alarms 1,0,0,1,1,0,… → predicted changepoints at 0 s (alarm at row 0), 1 s (end), 3 s (onset), 5 s (end).
    const file = {
      time: Array.from({ length: 10 }, (_, i) => i * 1000),
      changepoints: [0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
      alarms: [1, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    };
    // First window: first prediction at 3 s, a third of the way: event floor(333.3) = 333 of 1,000 points,
    // x = −π/2 + 333π/999 = −π/6, weight = 1.11/2 · tanh(π/6)/tanh(π/2) + 1.11/2 − 0.11 = 0.7358.
    // The 5 s prediction is the first window's second: no weight. Second window missed: −1.
    // Outside any window: 0 s and 1 s, −0.11 each.
    const tp = (1.11 / 2) * (Math.tanh(Math.PI / 6) / Math.tanh(Math.PI / 2)) + 1.11 / 2 - 0.11;
    assert.ok(Math.abs(tp - 0.73575) < 1e-4);
    const s = skabChangepointScore([file], 3000, nabProfiles.standard);
    assert.equal(s.windows, 2);
    assert.equal(s.detected, 1);
    assert.equal(s.falsePositives, 2);
    assert.ok(Math.abs(s.raw - (tp - 1 - 0.22)) < 1e-12);
    // Normalised over perfect 2 and null −2: 100 · (raw + 2) / 4.
    assert.ok(Math.abs(s.score - (100 * (tp - 1.22 + 2)) / 4) < 1e-9);
  });

  it('the scale is A_tp at the window start and A_fp at its end', () => {
    assert.ok(Math.abs(skabScale(0, 1, -0.11) - 1) < 1e-12);
    assert.ok(Math.abs(skabScale(1, 1, -0.11) + 0.11) < 1e-12);
  });

  it('an overlapping later window starts where the earlier one ends (cut right window)', () => {
    assert.deepEqual(changepointWindows([0, 1000, 2000], [1, 1, 0], 1500), [
      { start: 0, end: 1500 },
      { start: 1500, end: 2500 },
    ]);
  });

  it('files are summed before normalising; profiles weigh misses and false alarms', () => {
    const hit = { time: [0, 1000, 2000], changepoints: [1, 0, 0], alarms: [1, 1, 1] };
    const miss = { time: [0, 1000, 2000], changepoints: [1, 0, 0], alarms: [0, 0, 0] };
    assert.equal(skabChangepointScore([hit], 60_000, nabProfiles.standard).score, 100);
    assert.equal(skabChangepointScore([hit, miss], 60_000, nabProfiles.standard).score, 50);
    assert.equal(skabChangepointScore([hit, miss], 60_000, nabProfiles.reward_low_FN_rate).score, 50);
  });
});

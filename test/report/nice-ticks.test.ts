import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { niceTicks } from '../../src/report/nice-ticks.js';

describe('niceTicks', () => {
  it('round steps covering the range', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  });

  it('a range one ulp wide (identical seeds, a mean off in the last bit) ends instead of looping forever', () => {
    const lo = 0.8243;
    const ticks = niceTicks(lo, lo + 2 * Number.EPSILON, 5);
    assert.ok(ticks.length >= 1 && ticks.length <= 21, `${ticks.length} ticks`);
  });
});

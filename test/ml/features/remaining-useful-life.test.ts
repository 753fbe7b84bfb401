import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSmxError } from '../../../src/errors.js';
import { lastRowOfEachGroup, nasaScore, remainingUsefulLife } from '../../../src/ml/features/remaining-useful-life.js';

describe('remaining useful life targets', () => {
  it('counts down to each unit’s last cycle, adds a truncated unit’s remaining life, and caps', () => {
    // Unit 0 runs to failure at cycle 4; unit 1 stops at cycle 3 with 5 cycles still left (its truth-file value).
    const cycles = Float64Array.of(1, 2, 3, 4, 1, 2, 3);
    const groups = Int32Array.of(0, 0, 0, 0, 1, 1, 1);
    const endOfLife = Float64Array.of(0, 0, 0, 0, 5, 5, 5);
    const { capped, uncapped } = remainingUsefulLife(cycles, groups, { cap: 6, endOfLife });
    assert.deepEqual(Array.from(uncapped), [3, 2, 1, 0, 7, 6, 5]);
    assert.deepEqual(Array.from(capped), [3, 2, 1, 0, 6, 6, 5]);
  });

  it('without endOfLife every unit ran to failure; rows need not be sorted by cycle', () => {
    const { uncapped } = remainingUsefulLife(Float64Array.of(2, 1, 3), Int32Array.of(0, 0, 0), { cap: 125 });
    assert.deepEqual(Array.from(uncapped), [1, 2, 0]);
  });

  it('rejects a unit with two end-of-life values or a missing one', () => {
    const bad = (endOfLife: Float64Array) => () =>
      remainingUsefulLife(Float64Array.of(1, 2), Int32Array.of(0, 0), { cap: 125, endOfLife });
    assert.throws(bad(Float64Array.of(1, 2)), (e) => isSmxError(e) && /two different end-of-life/.test(e.message));
    assert.throws(bad(Float64Array.of(NaN, NaN)), (e) => isSmxError(e) && /NaN, not a number ≥ 0/.test(e.message));
  });
});

describe('NASA scoring function', () => {
  it('matches a worked example: e^(−d/13) − 1 early, e^(d/10) − 1 late, d = predicted − true', () => {
    // d = −13 → e − 1; d = 0 → 0; d = +10 → e − 1; d = −26 → e² − 1; d = +5 → e^0.5 − 1.
    const predicted = Float64Array.of(7, 20, 30, 4, 35);
    const actual = Float64Array.of(20, 20, 20, 30, 30);
    const expected = 2 * (Math.E - 1) + (Math.E ** 2 - 1) + (Math.sqrt(Math.E) - 1);
    assert.ok(Math.abs(nasaScore(predicted, actual) - expected) < 1e-12);
    assert.ok(Math.abs(expected - 10.4743411) < 1e-6, 'hand value: 3.4365637 + 6.3890561 + 0.6487213');
  });

  it('punishes a late prediction more than an equally early one', () => {
    assert.ok(nasaScore([30], [20]) > nasaScore([10], [20]));
  });
});

describe('last row of each group', () => {
  it('takes the row with the largest time per group, in order of first appearance', () => {
    const groupIndex = Int32Array.of(1, 1, 0, 0, 0);
    const time = Float64Array.of(5, 6, 3, 9, 4);
    assert.deepEqual(lastRowOfEachGroup(Int32Array.of(0, 1, 2, 3, 4), groupIndex, time), [
      { group: 1, position: 1 },
      { group: 0, position: 3 },
    ]);
    // Positions index into the given rows (a fold's test rows), not the dataset.
    assert.deepEqual(lastRowOfEachGroup(Int32Array.of(4, 2), groupIndex, time), [{ group: 0, position: 0 }]);
    assert.deepEqual(lastRowOfEachGroup(Int32Array.of(2, 3, 4), groupIndex, null), [{ group: 0, position: 2 }]);
  });
});

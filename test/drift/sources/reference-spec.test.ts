/** The reference forms of --reference and --season, resolved to time ranges (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DAY_MS,
  parseReferenceSpec,
  rangesInPhase,
  seasonalRanges,
  WEEK_MS,
} from '../../../src/drift/sources/reference-spec.js';
import { isSmxError } from '../../../src/errors.js';

const hour = (iso: string) => {
  const from = new Date(iso);
  const to = new Date(from.getTime() + 3_600_000);
  return { from, to, label: '' };
};
const iso = (r: { from: Date; to: Date }) => `${r.from.toISOString()}..${r.to.toISOString()}`;

describe('--reference forms', () => {
  it('parses windows, baselines, models and seasonal references', () => {
    assert.deepEqual(parseReferenceSpec(undefined), { kind: 'preceding' });
    assert.deepEqual(parseReferenceSpec('last:7d'), { kind: 'window', text: 'last:7d' });
    assert.deepEqual(parseReferenceSpec('baseline:normal-jan'), { kind: 'baseline', name: 'normal-jan' });
    assert.deepEqual(parseReferenceSpec('model:pump@champion'), { kind: 'model', ref: 'pump@champion' });
    assert.deepEqual(parseReferenceSpec('seasonal:7d'), {
      kind: 'seasonal',
      periodMs: DAY_MS,
      count: 7,
      text: 'seasonal:7d',
    });
    assert.deepEqual(parseReferenceSpec('seasonal:2w'), {
      kind: 'seasonal',
      periodMs: WEEK_MS,
      count: 2,
      text: 'seasonal:2w',
    });
    for (const bad of ['seasonal:0d', 'seasonal:7h', 'seasonal:99w'])
      assert.throws(
        () => parseReferenceSpec(bad),
        (e) => isSmxError(e) && e.exitCode === 2,
      );
  });
  it('seasonal:7d is the same hour on each of the 7 days before; seasonal:2w the same hour of the week', () => {
    const current = hour('2024-01-17T14:00:00Z');
    assert.deepEqual(seasonalRanges(current, DAY_MS, 7).map(iso), [
      '2024-01-16T14:00:00.000Z..2024-01-16T15:00:00.000Z',
      '2024-01-15T14:00:00.000Z..2024-01-15T15:00:00.000Z',
      '2024-01-14T14:00:00.000Z..2024-01-14T15:00:00.000Z',
      '2024-01-13T14:00:00.000Z..2024-01-13T15:00:00.000Z',
      '2024-01-12T14:00:00.000Z..2024-01-12T15:00:00.000Z',
      '2024-01-11T14:00:00.000Z..2024-01-11T15:00:00.000Z',
      '2024-01-10T14:00:00.000Z..2024-01-10T15:00:00.000Z',
    ]);
    assert.deepEqual(seasonalRanges(current, WEEK_MS, 2).map(iso), [
      '2024-01-10T14:00:00.000Z..2024-01-10T15:00:00.000Z',
      '2024-01-03T14:00:00.000Z..2024-01-03T15:00:00.000Z',
    ]);
    assert.throws(() => seasonalRanges({ ...current, to: new Date(current.from.getTime() + 2 * DAY_MS) }, DAY_MS, 7));
  });
  it('--season picks the hours of a pinned window in the current phase, clipped, never the current window itself', () => {
    const base = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-15T00:00:00Z') };
    assert.deepEqual(rangesInPhase(hour('2024-01-17T14:00:00Z'), base, WEEK_MS).map(iso), [
      '2024-01-03T14:00:00.000Z..2024-01-03T15:00:00.000Z',
      '2024-01-10T14:00:00.000Z..2024-01-10T15:00:00.000Z',
    ]);
    assert.equal(rangesInPhase(hour('2024-01-17T14:00:00Z'), base, DAY_MS).length, 14);
    // A current hour inside the baseline: its own hour is left out.
    const inside = rangesInPhase(hour('2024-01-03T14:00:00Z'), base, WEEK_MS).map(iso);
    assert.deepEqual(inside, ['2024-01-10T14:00:00.000Z..2024-01-10T15:00:00.000Z']);
    // A window cut by the baseline's edge is clipped to it.
    const clipped = rangesInPhase(hour('2024-01-17T23:30:00Z'), base, DAY_MS);
    assert.equal(iso(clipped[clipped.length - 1]!), '2024-01-14T23:30:00.000Z..2024-01-15T00:00:00.000Z');
  });
});

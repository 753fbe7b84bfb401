import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimeRange, precedingRange } from '../../../src/drift/sources/window-range.js';
import { SmxError } from '../../../src/errors.js';

const now = new Date('2026-03-10T12:00:00Z');

describe('parseTimeRange', () => {
  it('reads dates as UTC midnight and keeps the window half-open', () => {
    const r = parseTimeRange('2026-01-01..2026-02-01', now);
    assert.equal(r.from.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(r.to.toISOString(), '2026-02-01T00:00:00.000Z');
  });

  it('reads times without a zone as UTC and accepts offsets and now', () => {
    assert.equal(
      parseTimeRange('2026-01-01T06:00..2026-01-01T18:00+02:00', now).to.toISOString(),
      '2026-01-01T16:00:00.000Z',
    );
    assert.equal(parseTimeRange('2026-01-01T06:00..now', now).to.toISOString(), now.toISOString());
  });

  it('reads last:N<unit> as the span ending now', () => {
    const r = parseTimeRange('last:24h', now);
    assert.equal(r.from.toISOString(), '2026-03-09T12:00:00.000Z');
    assert.equal(r.to.getTime(), now.getTime());
    assert.match(r.label, /^last:24h \(/);
    assert.equal(parseTimeRange('last:90m', now).from.toISOString(), '2026-03-10T10:30:00.000Z');
    assert.equal(parseTimeRange('last:2w', now).from.toISOString(), '2026-02-24T12:00:00.000Z');
  });

  it('the default reference is the window of the same length just before, sharing only the boundary', () => {
    const current = parseTimeRange('last:24h', now);
    const reference = precedingRange(current);
    assert.equal(reference.to.getTime(), current.from.getTime());
    assert.equal(reference.from.toISOString(), '2026-03-08T12:00:00.000Z');
  });

  for (const bad of [
    'yesterday',
    '2026-02-01..2026-01-01',
    '2026-01-01..2026-01-01',
    'last:0h',
    'last:5y',
    '2026-13-01..2026-14-01',
    'a..b',
    '2026-01-01',
  ]) {
    it(`rejects ${JSON.stringify(bad)} as a usage error`, () => {
      assert.throws(
        () => parseTimeRange(bad, now, '--current'),
        (e: unknown) => e instanceof SmxError && e.exitCode === 2 && /--current/.test(e.message),
      );
    });
  }
});

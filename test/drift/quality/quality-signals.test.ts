/** Each data-quality signal, on a series built for it: missing rate, flat line, out-of-range, gaps. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qualitySignals } from '../../../src/drift/quality/quality-signals.js';
import { SeriesSummarizer, summarizeValues } from '../../../src/drift/quality/series-summary.js';

const MIN = 60_000;
const t0 = Date.UTC(2024, 0, 1);

/** One reading a minute over [from, from + minutes), value from `f`, skipping the minutes in `missing`. */
function series(
  fromMin: number,
  minutes: number,
  f: (i: number) => number,
  missing: (i: number) => boolean = () => false,
) {
  const range = { from: new Date(t0 + fromMin * MIN), to: new Date(t0 + (fromMin + minutes) * MIN) };
  const s = new SeriesSummarizer([range]);
  const values: number[] = [];
  for (let i = 0; i < minutes; i++) {
    if (missing(i)) continue;
    const v = f(i);
    values.push(v);
    s.add(v, t0 + (fromMin + i) * MIN);
  }
  return { summary: s.result(), values: Float64Array.from(values) };
}
const wiggle = (i: number) => 10 + Math.sin(i * 1.7) + 0.1 * Math.cos(i * 7.3);
const signal = (name: string, list: ReturnType<typeof qualitySignals>) => list.find((q) => q.signal === name)!;

describe('data-quality signals', () => {
  const reference = series(0, 600, wiggle);
  it('a normal hour raises none', () => {
    const current = series(600, 60, (i) => wiggle(i + 600));
    const list = qualitySignals('s', reference.summary, current.summary, current.values);
    assert.deepEqual(
      list.filter((q) => q.alarm),
      [],
    );
    assert.deepEqual(
      list.map((q) => q.signal),
      ['missing-rate', 'flat-line', 'out-of-range', 'gap'],
    );
  });
  it('missing rate: a third of the readings gone', () => {
    const current = series(600, 60, wiggle, (i) => i % 3 === 0);
    const q = signal('missing-rate', qualitySignals('s', reference.summary, current.summary, current.values));
    assert.equal(q.alarm, true);
    assert.ok(Math.abs(q.value - 1 / 3) < 1e-9 && q.reference === 0, q.note);
  });
  it('flat line: stuck at one value for 25 readings', () => {
    const current = series(600, 60, (i) => (i >= 20 && i < 45 ? 10.5 : wiggle(i)));
    const q = signal('flat-line', qualitySignals('s', reference.summary, current.summary, current.values));
    assert.equal(q.alarm, true);
    assert.equal(q.value, 25);
    assert.match(q.note, /25 readings at 10\.5/);
  });
  it('a quantised sensor that always repeats values is not "stuck"', () => {
    const steps = (i: number) => Math.floor(i / 30);
    const ref = series(0, 600, steps);
    const current = series(600, 60, (i) => steps(i + 600));
    assert.equal(signal('flat-line', qualitySignals('s', ref.summary, current.summary, current.values)).alarm, false);
  });
  it('out of range: most values beyond the reference min and max', () => {
    const current = series(600, 60, (i) => wiggle(i) + 5);
    const q = signal('out-of-range', qualitySignals('s', reference.summary, current.summary, current.values));
    assert.equal(q.alarm, true);
    assert.ok(q.value > 0.75, q.note);
  });
  it('gap: 20 minutes without a reading, the window edge included', () => {
    const current = series(600, 60, wiggle, (i) => i >= 40);
    const q = signal('gap', qualitySignals('s', reference.summary, current.summary, current.values));
    assert.equal(q.alarm, true);
    assert.equal(q.value, 21); // from the last reading at minute 39 to the window's end at 60
    const empty = series(600, 60, wiggle, () => true);
    const none = signal('gap', qualitySignals('s', reference.summary, empty.summary, empty.values));
    assert.equal(none.alarm, true);
    assert.equal(none.note, 'no reading in the window');
  });
  it('plain columns (a CSV): missing rate from NaN, out-of-range; no gaps', () => {
    const ref = summarizeValues(Float64Array.from({ length: 100 }, (_, i) => i));
    const cur = Float64Array.from({ length: 100 }, (_, i) => (i < 40 ? Number.NaN : i));
    const list = qualitySignals('c', ref, summarizeValues(cur), cur);
    assert.equal(signal('missing-rate', list).alarm, true);
    assert.equal(
      list.find((q) => q.signal === 'gap'),
      undefined,
    );
  });
});

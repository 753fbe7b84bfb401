/**
 * What `--reference` may name, and the time ranges it stands for. Pure: the
 * current window, the clock and a resolved base window come in; ranges go out.
 *
 *   FROM..TO, last:7d        a fixed window (the default: the window just before --current)
 *   baseline:NAME            a named baseline stored in the database (smx drift baseline set)
 *   model:NAME[@VERSION]     the data window a registered model was trained on (its trainedOn tag)
 *   seasonal:7d              the same hours of the day on each of the previous 7 days
 *   seasonal:2w              the same hours of the week in each of the previous 2 weeks
 *
 * With `--season hour-of-day|hour-of-week`, a fixed window, a baseline or a
 * model's window keeps only the hours in the current window's phase: a
 * reference that does not move with the alarm and still compares 14:00 with
 * 14:00. Sensor data has daily (and often weekly) cycles, so a check of the
 * last hour against the hour before flags the cycle itself (docs/drift.md).
 */
import { usageError } from '../../errors.js';
import { formatRange, type TimeRange } from './window-range.js';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export type Season = 'hour-of-day' | 'hour-of-week';

export type ReferenceSpec =
  | { kind: 'preceding' }
  | { kind: 'window'; text: string }
  | { kind: 'baseline'; name: string }
  | { kind: 'model'; ref: string }
  | { kind: 'seasonal'; periodMs: number; count: number; text: string };

export function parseReferenceSpec(text: string | undefined): ReferenceSpec {
  if (text === undefined || text.trim() === '') return { kind: 'preceding' };
  const t = text.trim();
  const baseline = /^baseline:(.+)$/.exec(t);
  if (baseline) return { kind: 'baseline', name: baseline[1]! };
  const model = /^model:(.+)$/.exec(t);
  if (model) return { kind: 'model', ref: model[1]! };
  if (t.startsWith('seasonal:')) {
    const m = /^seasonal:(\d+)(d|w)$/.exec(t);
    const count = m ? Number(m[1]) : 0;
    if (!m || count < 1 || count > 52) {
      throw usageError(`--reference ${JSON.stringify(text)} is not a seasonal reference.`, {
        hint: 'Use seasonal:Nd (the same hours on each of the previous N days, N ≤ 52) or seasonal:Nw (the same hours of the week in each of the previous N weeks).',
      });
    }
    return { kind: 'seasonal', periodMs: m[2] === 'd' ? DAY_MS : WEEK_MS, count, text: t };
  }
  return { kind: 'window', text: t };
}

export function parseSeason(text: string | undefined): Season | undefined {
  if (text === undefined) return undefined;
  if (text === 'hour-of-day' || text === 'hour-of-week') return text;
  throw usageError(`--season ${JSON.stringify(text)} is not a season.`, { hint: 'Use hour-of-day or hour-of-week.' });
}

export const seasonPeriodMs = (season: Season): number => (season === 'hour-of-day' ? DAY_MS : WEEK_MS);

/** The same clock span `count` times, one period apart, before `current` (newest first). */
export function seasonalRanges(current: TimeRange, periodMs: number, count: number): TimeRange[] {
  const span = current.to.getTime() - current.from.getTime();
  if (span > periodMs)
    throw usageError(
      `A seasonal reference needs a current window no longer than its period (${formatSpan(periodMs)}); --current spans ${formatSpan(span)}.`,
    );
  return Array.from({ length: count }, (_, i) => {
    const shift = (i + 1) * periodMs;
    const from = new Date(current.from.getTime() - shift);
    const to = new Date(current.to.getTime() - shift);
    return { from, to, label: formatRange(from, to) };
  });
}

/**
 * The parts of `base` in the same phase as `current` (shifted by whole
 * periods, either way), clipped to `base`, never overlapping `current`
 * itself, oldest first.
 */
export function rangesInPhase(current: TimeRange, base: { from: Date; to: Date }, periodMs: number): TimeRange[] {
  const span = current.to.getTime() - current.from.getTime();
  if (span > periodMs)
    throw usageError(
      `--season needs a current window no longer than its period (${formatSpan(periodMs)}); --current spans ${formatSpan(span)}.`,
    );
  const b0 = base.from.getTime();
  const b1 = base.to.getTime();
  const c0 = current.from.getTime();
  const c1 = current.to.getTime();
  const first = Math.ceil((b0 - c1) / periodMs);
  const last = Math.floor((b1 - c0) / periodMs);
  const out: TimeRange[] = [];
  for (let k = first; k <= last; k++) {
    const from = Math.max(c0 + k * periodMs, b0);
    const to = Math.min(c1 + k * periodMs, b1);
    if (!(to > from)) continue;
    if (from < c1 && to > c0) continue; // the current window itself is never its own reference
    out.push({ from: new Date(from), to: new Date(to), label: formatRange(new Date(from), new Date(to)) });
  }
  return out;
}

function formatSpan(ms: number): string {
  if (ms % WEEK_MS === 0) return `${ms / WEEK_MS}w`;
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${Math.round(ms / 60_000)}m`;
}

/** "seasonal:7d (7 windows, 2024-01-01T13:00…/…)": how a multi-range reference reads in reports. */
export function describeRanges(prefix: string, ranges: readonly TimeRange[]): string {
  if (ranges.length === 0) return `${prefix} (no window)`;
  if (ranges.length === 1) return `${prefix} (${ranges[0]!.label})`;
  const first = ranges.reduce((a, r) => (r.from < a.from ? r : a));
  const last = ranges.reduce((a, r) => (r.to > a.to ? r : a));
  return `${prefix} (${ranges.length} windows from ${first.from.toISOString()} to ${last.to.toISOString()})`;
}

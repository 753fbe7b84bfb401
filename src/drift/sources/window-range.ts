/**
 * Time windows of sensor_readings, as the CLI writes them:
 *
 *   2026-01-01..2026-02-01              from the first instant to the second (src/parse-instant.ts: dates are UTC midnight)
 *   2026-01-01T06:00Z..2026-01-01T18:00Z
 *   2026-01-01..now
 *   last:24h  last:7d  last:90m         the span ending now
 *
 * Every window is half-open, [from, to): a reading at a shared boundary
 * belongs to exactly one window (the seed's windows overlapped there).
 * Pure: `now` is passed in.
 */
import { usageError } from '../../errors.js';
import { parseInstant } from '../../parse-instant.js';

export interface TimeRange {
  from: Date;
  to: Date;
  /** How it was asked for, for reports and drift_checks (e.g. "last:24h (2026-…/2026-…)"). */
  label: string;
}

const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const instant = (text: string, now: Date, flag: string) => new Date(parseInstant(text, flag, () => now.getTime()));

export function formatRange(from: Date, to: Date): string {
  return `${from.toISOString()}..${to.toISOString()}`;
}

/** Parses `A..B` or `last:<n><m|h|d|w>` relative to `now`. */
export function parseTimeRange(text: string, now: Date, flag = '--window'): TimeRange {
  const last = /^last:(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(text.trim());
  if (last) {
    const span = Number(last[1]) * unitMs[last[2]!]!;
    if (!(span > 0)) throw usageError(`${flag}: ${JSON.stringify(text)} is an empty window.`);
    const from = new Date(now.getTime() - span);
    return { from, to: now, label: `${text.trim()} (${formatRange(from, now)})` };
  }
  const parts = text.split('..');
  if (parts.length !== 2) {
    throw usageError(`${flag}: ${JSON.stringify(text)} is not a window.`, {
      hint: 'Use FROM..TO (e.g. 2026-01-01..2026-02-01) or last:24h.',
    });
  }
  const from = instant(parts[0]!, now, flag);
  const to = instant(parts[1]!, now, flag);
  if (!(from.getTime() < to.getTime())) throw usageError(`${flag}: ${JSON.stringify(text)} ends before it starts.`);
  return { from, to, label: formatRange(from, to) };
}

/** The window of the same length just before `range` (the default reference). */
export function precedingRange(range: TimeRange): TimeRange {
  const span = range.to.getTime() - range.from.getTime();
  const from = new Date(range.from.getTime() - span);
  return { from, to: range.from, label: `preceding (${formatRange(from, range.from)})` };
}

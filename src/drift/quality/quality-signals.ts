/**
 * Data-quality signals beside the distribution tests, one row per column and
 * signal, each with its value, the reference's value where it has one, the
 * threshold and whether it alarms. Pure: two window summaries in.
 *
 *   missing-rate   share of expected values absent (time series: 1 − readings / (span ÷ usual interval);
 *                  plain columns: NaN share); alarms when it rose by ≥ `missingRateIncrease` over the reference's
 *   flat-line      the longest run of one repeated value; alarms at ≥ `flatLineReadings` readings when the
 *                  reference never repeated a value that long (a stuck sensor, not a quantised one)
 *   out-of-range   share of current values outside the reference's [min, max]; alarms at ≥ `outOfRangeShare`
 *   gap            the longest stretch without a reading (window edges included), in usual intervals;
 *                  alarms at ≥ `gapIntervals` intervals when the reference had no gap that long
 *
 * The defaults were chosen so that none fires on the normal weeks of the
 * generated data at hourly checks (docs/drift.md gives the figures).
 */
import type { SeriesSummary } from './series-summary.js';

export type QualitySignalName = 'missing-rate' | 'flat-line' | 'out-of-range' | 'gap';

export interface QualitySignal {
  column: string;
  signal: QualitySignalName;
  value: number;
  /** The same measure on the reference, where it has one. */
  reference: number | null;
  threshold: number;
  alarm: boolean;
  /** In words, e.g. "stuck at 61.2 for 45 readings from 2024-01-16T10:03:00.000Z". */
  note: string;
}

export interface QualityOptions {
  missingRateIncrease: number;
  flatLineReadings: number;
  outOfRangeShare: number;
  gapIntervals: number;
}

export const DEFAULT_QUALITY_OPTIONS: Readonly<QualityOptions> = Object.freeze({
  missingRateIncrease: 0.2,
  flatLineReadings: 20,
  outOfRangeShare: 0.75,
  gapIntervals: 15,
});

/** Share of expected values that are absent: 1 − present / expected, clipped to [0, 1]. */
export function missingRate(summary: SeriesSummary, usualIntervalMs: number | null): number {
  if (summary.time && usualIntervalMs && usualIntervalMs > 0) {
    const expected = summary.time.spanMs / usualIntervalMs;
    const present = summary.rows - summary.missing;
    return expected > 0 ? Math.min(1, Math.max(0, 1 - present / expected)) : 0;
  }
  return summary.rows > 0 ? summary.missing / summary.rows : 0;
}

/** Share of `values` (NaN skipped) outside [min, max]. */
export function outOfRangeShare(values: ArrayLike<number>, min: number, max: number): number {
  let outside = 0;
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    present++;
    if (v < min || v > max) outside++;
  }
  return present === 0 ? 0 : outside / present;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

export function qualitySignals(
  column: string,
  reference: SeriesSummary,
  current: SeriesSummary,
  currentValues: ArrayLike<number>,
  options: QualityOptions = DEFAULT_QUALITY_OPTIONS,
): QualitySignal[] {
  const out: QualitySignal[] = [];
  // The reference's rate judges both windows: a current window with half its readings missing has half the rate.
  const interval = reference.time?.usualIntervalMs ?? current.time?.usualIntervalMs ?? null;
  const refMissing = missingRate(reference, interval);
  const curMissing = missingRate(current, interval);
  out.push({
    column,
    signal: 'missing-rate',
    value: curMissing,
    reference: refMissing,
    threshold: options.missingRateIncrease,
    alarm: curMissing - refMissing >= options.missingRateIncrease,
    note: `${fmt(100 * curMissing)} % missing (reference ${fmt(100 * refMissing)} %)`,
  });
  const run = current.longestRun;
  out.push({
    column,
    signal: 'flat-line',
    value: run.length,
    reference: reference.longestRun.length,
    threshold: options.flatLineReadings,
    alarm: run.length >= options.flatLineReadings && run.length > reference.longestRun.length,
    note:
      run.length > 1
        ? `longest run of one value: ${run.length} readings at ${fmt(run.value)} (reference ${reference.longestRun.length})`
        : 'no value repeated',
  });
  const refPresent = reference.rows - reference.missing;
  if (refPresent > 0) {
    const share = outOfRangeShare(currentValues, reference.min, reference.max);
    out.push({
      column,
      signal: 'out-of-range',
      value: share,
      reference: null,
      threshold: options.outOfRangeShare,
      alarm: share >= options.outOfRangeShare,
      note: `${fmt(100 * share)} % of values outside the reference range ${fmt(reference.min)} … ${fmt(reference.max)}`,
    });
  }
  if (current.time && interval) {
    const gap = current.time.longestGapMs / interval;
    const refGap = reference.time ? reference.time.longestGapMs / interval : 0;
    out.push({
      column,
      signal: 'gap',
      value: gap,
      reference: refGap,
      threshold: options.gapIntervals,
      alarm: gap >= options.gapIntervals && gap > refGap,
      note:
        current.rows === 0
          ? 'no reading in the window'
          : `longest gap ${fmt(current.time.longestGapMs / 60_000)} min (${fmt(gap)} intervals) from ${new Date(current.time.longestGapFrom).toISOString()}`,
    });
  }
  return out;
}

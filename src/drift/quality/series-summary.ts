/**
 * What the data-quality signals need from one column of one window, gathered
 * in a single streamed pass (so it works on sampled windows too): how many
 * values and how many were missing, the range, the longest run of one
 * repeated value, and for time series the spacing of the readings (their
 * usual interval and the longest gap, edges of the window included).
 */

export interface SeriesSummary {
  rows: number;
  /** NaN values (missing or invalid cells). */
  missing: number;
  min: number;
  max: number;
  /** Longest run of consecutive equal values, and that value. */
  longestRun: { length: number; value: number };
  /** Time series only: the readings' spacing. */
  time?: {
    /** The most common interval between consecutive readings, ms (the sensor's rate). */
    usualIntervalMs: number | null;
    /** Longest stretch without a reading, the window's edges included, and where it starts. */
    longestGapMs: number;
    longestGapFrom: number;
    /** Total span of the window(s), ms. */
    spanMs: number;
  };
}

/** Intervals are counted to the second, so jitter of a few ms does not hide the sensor's rate. */
const intervalResolutionMs = 1000;

export class SeriesSummarizer {
  private rows = 0;
  private missing = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private runValue = Number.NaN;
  private runLength = 0;
  private longest = { length: 0, value: Number.NaN };
  private previousTime = Number.NaN;
  private readonly intervals = new Map<number, number>();
  private longestGap = 0;
  private longestGapFrom = Number.NaN;
  private rangeIndex = 0;
  private readonly ranges: ReadonlyArray<{ from: number; to: number }>;

  /** `ranges` (epoch ms, ascending, disjoint): the window(s) a time series was read from; none for plain columns. */
  constructor(ranges: ReadonlyArray<{ from: Date; to: Date }> = []) {
    this.ranges = ranges.map((r) => ({ from: r.from.getTime(), to: r.to.getTime() })).sort((a, b) => a.from - b.from);
  }

  add(value: number, timeMs?: number): void {
    this.rows++;
    if (Number.isNaN(value)) {
      this.missing++;
      this.runLength = 0;
      this.runValue = Number.NaN;
    } else {
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
      if (value === this.runValue) this.runLength++;
      else {
        this.runValue = value;
        this.runLength = 1;
      }
      if (this.runLength > this.longest.length) this.longest = { length: this.runLength, value };
    }
    if (timeMs !== undefined) this.addTime(timeMs);
  }

  private addTime(t: number): void {
    // Moving into a later range: close the gap at the end of the one before, open one at the start of this.
    while (this.rangeIndex < this.ranges.length - 1 && t >= this.ranges[this.rangeIndex]!.to) {
      this.closeRange();
      this.rangeIndex++;
      this.previousTime = Number.NaN;
    }
    const start = this.ranges[this.rangeIndex]?.from;
    const gapFrom = Number.isNaN(this.previousTime) ? start : this.previousTime;
    if (gapFrom !== undefined) this.gap(gapFrom, t);
    if (!Number.isNaN(this.previousTime)) {
      const step = Math.round((t - this.previousTime) / intervalResolutionMs) * intervalResolutionMs;
      if (step > 0) this.intervals.set(step, (this.intervals.get(step) ?? 0) + 1);
    }
    this.previousTime = t;
  }

  private gap(from: number, to: number): void {
    if (to - from > this.longestGap) {
      this.longestGap = to - from;
      this.longestGapFrom = from;
    }
  }

  private closeRange(): void {
    const range = this.ranges[this.rangeIndex];
    if (!range) return;
    this.gap(Number.isNaN(this.previousTime) ? range.from : this.previousTime, range.to);
  }

  result(): SeriesSummary {
    const summary: SeriesSummary = {
      rows: this.rows,
      missing: this.missing,
      min: this.min,
      max: this.max,
      longestRun: { ...this.longest },
    };
    if (this.ranges.length > 0) {
      // Ranges never reached by a reading are gaps of their whole length.
      for (; this.rangeIndex < this.ranges.length; this.rangeIndex++) {
        this.closeRange();
        this.previousTime = Number.NaN;
      }
      let usual: number | null = null;
      let best = 0;
      for (const [step, count] of this.intervals) {
        if (count > best || (count === best && step < usual!)) {
          best = count;
          usual = step;
        }
      }
      summary.time = {
        usualIntervalMs: usual,
        longestGapMs: this.longestGap,
        longestGapFrom: this.longestGapFrom,
        spanMs: this.ranges.reduce((s, r) => s + (r.to - r.from), 0),
      };
    }
    return summary;
  }
}

/** Summary of a plain column (no times), e.g. a CSV feature. */
export function summarizeValues(values: ArrayLike<number>): SeriesSummary {
  const s = new SeriesSummarizer();
  for (let i = 0; i < values.length; i++) s.add(values[i]!);
  return s.result();
}

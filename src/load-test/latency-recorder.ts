import * as hdr from 'hdr-histogram-js';

/** Percentiles in milliseconds, from an HDR histogram of microseconds (3 significant digits). */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** One interval as a thread saw it, in a form that crosses a worker thread (histogram as compressed base64). */
export interface IntervalPart {
  index: number;
  /** When the interval began, in seconds from the thread's start (timers run late on a busy machine). */
  startSecond: number;
  /** Seconds this interval covered (the last one may be shorter). */
  seconds: number;
  histogram: string;
  statuses: Array<[number, number]>;
  socketErrors: number;
  bytesIn: number;
  bytesOut: number;
}

/** A recorder's content in a form that crosses a worker thread. */
export interface RecordedLatencies {
  histogram: string;
  statuses: Array<[number, number]>;
  socketErrors: Array<[string, number]>;
  intervals: IntervalPart[];
}

const newHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const MAX_STATUS = 1000;

/**
 * Latency of answered requests (any status) in an HDR histogram of
 * microseconds, answers by status and failures without an answer by kind.
 * The hot path records into the current interval's histogram only; each
 * interval is added to the total when it closes (once a second by default),
 * so the time series costs nothing per request.
 */
export class LatencyRecorder {
  private readonly total = newHistogram();
  private interval = newHistogram();
  /** Answers by HTTP status code (index), including the current interval. */
  private readonly statusCounts = new Float64Array(MAX_STATUS);
  private readonly statusesAtIntervalStart = new Float64Array(MAX_STATUS);
  /** Requests without an answer, by failure kind (ECONNREFUSED, timeout, closed, …). */
  readonly socketErrors = new Map<string, number>();
  private socketErrorTotal = 0;
  private socketErrorsAtIntervalStart = 0;
  private readonly intervals: IntervalPart[] = [];

  answered(micros: number, status: number): void {
    this.interval.recordValue(Math.min(120_000_000, Math.max(1, Math.round(micros))));
    this.statusCounts[status < MAX_STATUS && status > 0 ? status : 0]! += 1;
  }

  failed(kind: string): void {
    this.socketErrors.set(kind, (this.socketErrors.get(kind) ?? 0) + 1);
    this.socketErrorTotal += 1;
  }

  /**
   * Ends the current interval: its histogram joins the total and its figures
   * are kept for the series (or added to the previous interval's, for the
   * short remainder at the end of a run).
   */
  closeInterval(
    startSecond: number,
    seconds: number,
    bytes: { in: number; out: number },
    foldIntoPrevious = false,
  ): void {
    const statuses = new Map<number, number>();
    for (let code = 0; code < MAX_STATUS; code++) {
      const delta = this.statusCounts[code]! - this.statusesAtIntervalStart[code]!;
      if (delta > 0) statuses.set(code, delta);
    }
    this.statusesAtIntervalStart.set(this.statusCounts);
    const socketErrors = this.socketErrorTotal - this.socketErrorsAtIntervalStart;
    const previous = foldIntoPrevious ? this.intervals.at(-1) : undefined;
    if (previous) {
      const histogram = hdr.decodeFromCompressedBase64(previous.histogram);
      histogram.add(this.interval);
      previous.histogram = hdr.encodeIntoCompressedBase64(histogram);
      histogram.destroy();
      for (const [code, n] of previous.statuses) statuses.set(code, (statuses.get(code) ?? 0) + n);
      previous.statuses = [...statuses].sort(([a], [b]) => a - b);
      previous.seconds += seconds;
      previous.socketErrors += socketErrors;
      previous.bytesIn += bytes.in;
      previous.bytesOut += bytes.out;
    } else {
      this.intervals.push({
        index: this.intervals.length,
        startSecond,
        seconds,
        histogram: hdr.encodeIntoCompressedBase64(this.interval),
        statuses: [...statuses],
        socketErrors,
        bytesIn: bytes.in,
        bytesOut: bytes.out,
      });
    }
    this.socketErrorsAtIntervalStart = this.socketErrorTotal;
    this.total.add(this.interval);
    this.interval.reset();
  }

  /** Everything recorded (close the last interval first), for merging in another thread. */
  export(): RecordedLatencies {
    const statuses: Array<[number, number]> = [];
    this.statusCounts.forEach((count, code) => count > 0 && statuses.push([code, count]));
    return {
      histogram: hdr.encodeIntoCompressedBase64(this.total),
      statuses,
      socketErrors: [...this.socketErrors],
      intervals: this.intervals,
    };
  }

  destroy(): void {
    this.total.destroy();
    this.interval.destroy();
  }
}

/** Percentiles of a histogram of microseconds, in ms (a bucket's highest value can pass the exact max). */
export function summarizeHistogram(h: hdr.Histogram): LatencySummary {
  const ms = (micros: number) => Math.round(Math.min(micros, h.maxValue)) / 1000;
  return {
    count: h.totalCount,
    meanMs: h.totalCount ? ms(h.mean) : 0,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p95Ms: ms(h.getValueAtPercentile(95)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
  };
}

/** The sum of several encoded histograms (HDR histograms add exactly). The caller destroys it. */
export function mergeHistograms(encoded: readonly string[]): hdr.Histogram {
  const merged = newHistogram();
  for (const part of encoded) {
    const histogram = hdr.decodeFromCompressedBase64(part);
    merged.add(histogram);
    histogram.destroy();
  }
  return merged;
}

/**
 * The percentile curve HdrHistogram plots: latency at percentiles spaced
 * evenly on the "number of nines" scale (0, 50, 75, 87.5, …), five per halving
 * of the remaining tail, up to the last recorded value.
 */
export function percentileCurve(h: hdr.Histogram, ticksPerHalf = 5): Array<{ percentile: number; ms: number }> {
  if (h.totalCount === 0) return [];
  const points: Array<{ percentile: number; ms: number }> = [];
  const ms = (micros: number) => Math.round(Math.min(micros, h.maxValue)) / 1000;
  // Stop where one more tick would be finer than a single request can resolve.
  const finest = 100 * (1 - 1 / h.totalCount);
  for (let i = 0; ; i++) {
    const percentile = 100 * (1 - 0.5 ** (i / ticksPerHalf));
    if (percentile > finest || i > 40 * ticksPerHalf) break;
    points.push({ percentile: Math.round(percentile * 1e6) / 1e6, ms: ms(h.getValueAtPercentile(percentile)) });
  }
  points.push({ percentile: 100, ms: ms(h.maxValue) });
  return points;
}

import { mergeHistograms, summarizeHistogram, type IntervalPart } from './latency-recorder.js';

/**
 * The per-interval time series (`--interval 1s`): what each interval's
 * answers and failures were, across every generator thread. Latency is of the
 * requests answered in that interval, counted from when each was due.
 */
export interface IntervalPoint {
  /** Seconds from the start of the run to the start of the interval. */
  startSecond: number;
  seconds: number;
  /** Answered (any status) and failed requests that ended in this interval. */
  requests: number;
  ok: number;
  errors: number;
  /** Of the errors, those without an answer (socket errors, timeouts). */
  socketErrors: number;
  /** Per second over the interval. */
  okPerSecond: number;
  errorsPerSecond: number;
  bytesInPerSecond: number;
  /** Latency percentiles of the interval's answers; null when nothing was answered. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Open model: the scheduled arrival rate in the middle of the interval. */
  targetRate: number | null;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function mergeIntervals(
  threads: ReadonlyArray<readonly IntervalPart[]>,
  rateAt?: (ms: number) => number,
): IntervalPoint[] {
  const count = Math.max(0, ...threads.map((t) => t.length));
  const points: IntervalPoint[] = [];
  for (let index = 0; index < count; index++) {
    const parts = threads.map((t) => t[index]).filter((p): p is IntervalPart => p !== undefined);
    const seconds = Math.max(...parts.map((p) => p.seconds));
    const histogram = mergeHistograms(parts.map((p) => p.histogram));
    const latency = histogram.totalCount ? summarizeHistogram(histogram) : undefined;
    histogram.destroy();
    let answered = 0;
    let ok = 0;
    let socketErrors = 0;
    let bytesIn = 0;
    for (const part of parts) {
      for (const [status, n] of part.statuses) {
        answered += n;
        if (status >= 200 && status < 300) ok += n;
      }
      socketErrors += part.socketErrors;
      bytesIn += part.bytesIn;
    }
    const requests = answered + socketErrors;
    const per = (n: number) => (seconds > 0 ? round(n / seconds) : 0);
    // Where the interval began (its threads' earliest start): the nominal index × interval drifts when timers run late.
    const startSecond = round(Math.min(...parts.map((p) => p.startSecond)), 3);
    points.push({
      startSecond,
      seconds: round(seconds, 3),
      requests,
      ok,
      errors: requests - ok,
      socketErrors,
      okPerSecond: per(ok),
      errorsPerSecond: per(requests - ok),
      bytesInPerSecond: per(bytesIn),
      p50Ms: latency?.p50Ms ?? null,
      p90Ms: latency?.p90Ms ?? null,
      p99Ms: latency?.p99Ms ?? null,
      maxMs: latency?.maxMs ?? null,
      targetRate: rateAt ? round(rateAt((startSecond + seconds / 2) * 1000)) : null,
    });
  }
  return points;
}

const CSV_COLUMNS: Array<keyof IntervalPoint> = [
  'startSecond',
  'seconds',
  'requests',
  'ok',
  'errors',
  'socketErrors',
  'okPerSecond',
  'errorsPerSecond',
  'bytesInPerSecond',
  'p50Ms',
  'p90Ms',
  'p99Ms',
  'maxMs',
  'targetRate',
];
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The series as CSV (snake_case header; an empty cell where there is no value). */
export function intervalsCsv(points: readonly IntervalPoint[]): string {
  const lines = [CSV_COLUMNS.map(snake).join(',')];
  for (const point of points) lines.push(CSV_COLUMNS.map((c) => (point[c] === null ? '' : String(point[c]))).join(','));
  return lines.join('\n') + '\n';
}

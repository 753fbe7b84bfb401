import type { Stage } from './arrival-schedule.js';
import type { ThreadResult } from './generate-load.js';
import type { IngestCleanup, IngestVerification } from './ingest-check.js';
import { mergeIntervals, type IntervalPoint } from './interval-series.js';
import { mergeHistograms, percentileCurve, summarizeHistogram, type LatencySummary } from './latency-recorder.js';
import { evaluateThresholds, type Threshold, type ThresholdResult } from './thresholds.js';

export interface LoadTestReport {
  url: string;
  scenario: string;
  model: 'open' | 'closed';
  targetRate: number | null;
  stages: Stage[] | null;
  connections: number;
  /** Generator threads that sent the load. */
  threads: number;
  durationSeconds: number;
  /** Requests sent. */
  requests: number;
  /** Requests that got an HTTP answer, whatever its status. */
  answered: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Requests without a 2xx answer: other statuses, socket errors, no answer by the end. */
  errors: number;
  /** Answered requests per second (any status). */
  throughput: number;
  /** 2xx answers per second: the rate the `rps` threshold gates. */
  rps: number;
  /** Answers by HTTP status code. */
  statuses: Record<string, number>;
  /** Requests without an answer, by kind: ECONNREFUSED, ECONNRESET, timeout, closed, "no answer" (still waiting at the end). */
  socketErrors: Record<string, number>;
  bytes: { received: number; sent: number; receivedPerSecond: number; sentPerSecond: number };
  /** Of the answered requests, from when each was due (open model) or sent (closed model). */
  latency: LatencySummary;
  /** Latency against percentile, as HdrHistogram plots it (the report's percentile curve). */
  latencyDistribution: Array<{ percentile: number; ms: number }>;
  /** Open model: requests sent later than due because every connection was busy. */
  delayedSends: number;
  intervalSeconds: number;
  intervals: IntervalPoint[];
  thresholds: ThresholdResult[];
  /** Ingest scenario: where it wrote, and the end-of-run check when a database was at hand. */
  ingest: {
    sensorPrefix: string;
    acknowledged: number;
    verification: IngestVerification | null;
    /** Why there is no verification (e.g. no database configured, --no-verify). */
    verificationSkipped: string | null;
    cleanup: IngestCleanup | null;
  } | null;
  /** Why the run failed, one line each; empty when it passed. */
  failures: string[];
  passed: boolean;
}

export interface SummaryInputs {
  url: string;
  scenario: string;
  model: 'open' | 'closed';
  rate?: number | undefined;
  stages?: Stage[] | undefined;
  connections: number;
  intervalMs: number;
  thresholds: readonly Threshold[];
  rateAt?: ((ms: number) => number) | undefined;
  sensorPrefix?: string | undefined;
}

const count = (n: number) => n.toLocaleString('en');

/** The report over every thread's result: sums, the merged histogram, the longest elapsed time. */
export function summarize(inputs: SummaryInputs, parts: readonly ThreadResult[]): LoadTestReport {
  const histogram = mergeHistograms(parts.map((p) => p.latencies.histogram));
  const latency = summarizeHistogram(histogram);
  const latencyDistribution = percentileCurve(histogram);
  const percentileMs = (p: number) =>
    Math.round(Math.min(histogram.getValueAtPercentile(p), histogram.maxValue)) / 1000;
  const statusCounts = new Map<number, number>();
  const socketErrors = new Map<string, number>();
  for (const part of parts) {
    for (const [code, n] of part.latencies.statuses) statusCounts.set(code, (statusCounts.get(code) ?? 0) + n);
    for (const [kind, n] of part.latencies.socketErrors) socketErrors.set(kind, (socketErrors.get(kind) ?? 0) + n);
  }
  const sent = parts.reduce((sum, p) => sum + p.sent, 0);
  const elapsed = Math.max(...parts.map((p) => p.elapsedMs)) / 1000;
  const answered = [...statusCounts.values()].reduce((a, b) => a + b, 0);
  const failed = [...socketErrors.values()].reduce((a, b) => a + b, 0);
  if (sent - answered - failed > 0) socketErrors.set('no answer', sent - answered - failed);
  const ok = [...statusCounts].filter(([code]) => code >= 200 && code < 300).reduce((sum, [, n]) => sum + n, 0);
  const bytesIn = parts.reduce((sum, p) => sum + p.bytesIn, 0);
  const bytesOut = parts.reduce((sum, p) => sum + p.bytesOut, 0);
  const perSecond = (n: number) => Math.round((n / elapsed) * 10) / 10;
  const durationSeconds = Math.round(elapsed * 1000) / 1000;
  const thresholds = evaluateThresholds(inputs.thresholds, {
    requests: sent,
    ok,
    errors: sent - ok,
    durationSeconds: elapsed,
    latency,
    percentileMs,
  });
  histogram.destroy();
  const acknowledged = parts.reduce((sum, p) => sum + (p.acknowledged ? countBits(p.acknowledged) : 0), 0);
  return {
    url: inputs.url,
    scenario: inputs.scenario,
    model: inputs.model,
    targetRate: inputs.model === 'open' ? (inputs.stages ? null : (inputs.rate ?? null)) : null,
    stages: inputs.stages ?? null,
    connections: inputs.connections,
    threads: parts.length,
    durationSeconds,
    requests: sent,
    answered,
    ok,
    errors: sent - ok,
    throughput: perSecond(answered),
    rps: perSecond(ok),
    statuses: Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
    socketErrors: Object.fromEntries([...socketErrors].sort(([, a], [, b]) => b - a)),
    bytes: {
      received: bytesIn,
      sent: bytesOut,
      receivedPerSecond: perSecond(bytesIn),
      sentPerSecond: perSecond(bytesOut),
    },
    latency,
    latencyDistribution,
    delayedSends: parts.reduce((sum, p) => sum + p.delayedSends, 0),
    intervalSeconds: inputs.intervalMs / 1000,
    intervals: mergeIntervals(
      parts.map((p) => p.latencies.intervals),
      inputs.rateAt,
    ),
    thresholds,
    ingest: inputs.sensorPrefix
      ? {
          sensorPrefix: inputs.sensorPrefix,
          acknowledged,
          verification: null,
          verificationSkipped: null,
          cleanup: null,
        }
      : null,
    failures: [],
    passed: true,
  };
}

function countBits(bits: Uint8Array): number {
  let n = 0;
  for (const byte of bits) {
    let b = byte;
    while (b) {
      b &= b - 1;
      n += 1;
    }
  }
  return n;
}

/**
 * Why the run failed: no request succeeded (always a failure, thresholds or
 * not), a breached threshold, or acknowledged readings missing from the
 * database. Sets `failures` and `passed`.
 */
export function judge(report: LoadTestReport): LoadTestReport {
  const failures: string[] = [];
  if (report.ok === 0) {
    const top = [
      ...Object.entries(report.socketErrors),
      ...Object.entries(report.statuses).map(([k, v]) => [`HTTP ${k}`, v] as const),
    ].sort(([, a], [, b]) => b - a)[0];
    failures.push(
      report.requests === 0
        ? 'no request was sent'
        : `no request succeeded: ${count(report.requests)} sent, 0 answered 2xx${top ? ` (most: ${count(top[1])} × ${top[0]})` : ''}`,
    );
  }
  for (const t of report.thresholds)
    if (!t.passed)
      failures.push(
        `threshold ${t.expression} breached: ${t.actual === null ? 'nothing measured' : `${count(t.actual)}${t.unit === '%' ? ' %' : t.unit ? ` ${t.unit}` : ''}`}`,
      );
  const v = report.ingest?.verification;
  if (v && !v.ok)
    failures.push(
      `${count(v.missing)} of ${count(v.acknowledged)} acknowledged readings (${v.sensorPrefix}*) are not in ${v.database}`,
    );
  report.failures = failures;
  report.passed = failures.length === 0;
  return report;
}

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { PoolStats } from '../db/db.js';
import { ProcessMetrics } from './process-metrics.js';
import { Counter, gauge, Histogram, summary } from './prometheus.js';

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
interface RequestSeries {
  count: { value: number };
  latency: { observe(value: number): void };
}

const LOOP_RESOLUTION_MS = 10;
const batchBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/**
 * The server's metrics: requests and latency by route and status, ingest rows
 * by outcome, group-commit batch sizes and flush times, the DB pool, the
 * event-loop lag, and the process and runtime metrics (process-metrics.ts).
 * Routes are the route patterns (never raw URLs), so the number of series
 * stays bounded. Only the request and ingest series are touched per request;
 * everything else is read when /metrics is scraped.
 */
export class ServerMetrics {
  readonly requests = new Counter('smx_http_requests_total', 'HTTP requests by route, method and status.');
  readonly latency = new Histogram(
    'smx_http_request_duration_seconds',
    'Time from request to response end, by route and status.',
    latencyBuckets,
  );
  readonly ingestRows = new Counter(
    'smx_ingest_rows_total',
    'Readings received by the ingest route, by outcome (accepted, duplicate, rejected).',
  );
  readonly batchRows = new Histogram(
    'smx_ingest_batch_rows',
    'Rows per group-commit flush (one transaction each).',
    batchBuckets,
  );
  readonly flushSeconds = new Histogram(
    'smx_ingest_flush_duration_seconds',
    'Time of one group-commit flush, first statement to COMMIT.',
    latencyBuckets,
  );
  readonly flushFailures = new Counter(
    'smx_ingest_flush_failures_total',
    'Group-commit flushes that failed (their requests were answered 503).',
  );
  private readonly loopDelay: IntervalHistogram;
  /** The lag summary's _sum and _count, over the process's life (the quantiles are since the last scrape). */
  private loopDelaySumSeconds = 0;
  private loopDelaySamples = 0;
  private readonly process = new ProcessMetrics();
  private groupCommit: (() => { rows: number; flushes: number }) | undefined;

  constructor(
    private readonly poolStats?: () => PoolStats,
    private readonly redisCounts?: { readonly skipped: number; readonly failed: number },
  ) {
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loopDelay.enable();
  }

  /** Ingest rows by outcome, resolved once (the ingest route adds to them on every request). */
  readonly ingestOutcomes = {
    accepted: this.ingestRows.child({ outcome: 'accepted' }),
    duplicate: this.ingestRows.child({ outcome: 'duplicate' }),
    rejected: this.ingestRows.child({ outcome: 'rejected' }),
  };
  /** Request series by route, method and status: nested maps, so nothing is built or hashed per request. */
  private readonly requestSeries = new Map<string, Map<string, Map<number, RequestSeries>>>();

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    // Routes are patterns (or 'unmatched'), methods the parser's known ones: the maps stay small.
    let byMethod = this.requestSeries.get(route);
    if (!byMethod) this.requestSeries.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      const labels = { route, method, status: String(status) };
      series = { count: this.requests.child(labels), latency: this.latency.child(labels) };
      byStatus.set(status, series);
    }
    series.count.value += 1;
    series.latency.observe(seconds);
  }

  /** The group commit's queue, read at each scrape (rows waiting for a flush, flushes running). */
  watchGroupCommit(pending: () => { rows: number; flushes: number }): void {
    this.groupCommit = pending;
  }

  render(): string {
    const parts = [
      this.requests.render(),
      this.latency.render(),
      this.ingestRows.render(),
      this.batchRows.render(),
      this.flushSeconds.render(),
      this.flushFailures.render(),
    ];
    const pool = this.poolStats?.();
    if (pool) {
      parts.push(
        gauge('smx_db_pool_connections', 'PostgreSQL pool connections by state.', [
          [{ state: 'total' }, pool.total],
          [{ state: 'idle' }, pool.idle],
        ]),
        gauge('smx_db_pool_waiting', 'Requests waiting for a pool connection.', [[{}, pool.waiting]]),
      );
    }
    if (this.redisCounts) {
      parts.push(
        gauge(
          'smx_redis_fallbacks_total',
          'Rate-limit and idempotency calls served by the fallback: Redis known down (skipped) or failing (failed).',
          [
            [{ reason: 'skipped' }, this.redisCounts.skipped],
            [{ reason: 'failed' }, this.redisCounts.failed],
          ],
          'counter',
        ),
      );
    }
    if (this.groupCommit) {
      const { rows, flushes } = this.groupCommit();
      parts.push(
        gauge('smx_ingest_queued_rows', 'Rows waiting for a group-commit flush.', [[{}, rows]]),
        gauge('smx_ingest_flushes_running', 'Group-commit flushes in progress (one pool connection each).', [
          [{}, flushes],
        ]),
      );
    }
    // Node's monitorEventLoopDelay records the time between ticks of a 10 ms timer; the lag is what passes
    // the 10 ms (an idle loop reads 10.1 ms, not 0.1 ms). Its histogram restarts at every scrape, so the
    // quantiles cover the time since the last one; _sum and _count accumulate.
    const lag = (ns: number) => Math.max(0, ns - LOOP_RESOLUTION_MS * 1e6) * 1e-9;
    const delay = this.loopDelay;
    const samples = delay.count;
    if (samples > 0) {
      this.loopDelaySumSeconds += lag(delay.mean) * samples;
      this.loopDelaySamples += samples;
    }
    parts.push(
      summary(
        'smx_event_loop_lag_seconds',
        'Event-loop lag: how late a 10 ms timer fires; quantiles since the last scrape.',
        samples > 0
          ? [
              [0.5, lag(delay.percentile(50))],
              [0.9, lag(delay.percentile(90))],
              [0.99, lag(delay.percentile(99))],
              [1, lag(delay.max)],
            ]
          : [],
        this.loopDelaySumSeconds,
        this.loopDelaySamples,
      ),
      this.process.render(),
    );
    delay.reset();
    return parts.join('\n') + '\n';
  }

  close(): void {
    this.loopDelay.disable();
    this.process.close();
  }
}

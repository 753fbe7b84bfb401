import http from 'node:http';
import net, { type Socket } from 'node:net';
import type { Cache } from '../cache/cache.js';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import type { Validation } from '../ingest/reading.js';
import type { Logger } from '../log.js';
import { createAuthenticator } from './authenticate.js';
import { GroupCommit } from './group-commit.js';
import { mayBeTheRowsFault } from '../errors.js';
import { shuttingDown } from './http-error.js';
import { createIdempotency } from './idempotency.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRequestPipeline } from './request-pipeline.js';
import { routeTable } from './route-table.js';
import { Router } from './router.js';
import { ServerMetrics } from './server-metrics.js';

export interface ServerLimits {
  bodyLimitBytes: number;
  ingestPerMinute: number;
  driftPerMinute: number;
  batchMaxDelayMs: number;
  batchMaxRows: number;
  /**
   * Flushes running at once (default 2, and never more than the pool's
   * connections but one). Fewer flushes make bigger batches, which cost
   * PostgreSQL less per row; a second one keeps a slow flush from holding up
   * every request (docs/decisions.md has the measurement).
   */
  flushConcurrency?: number | undefined;
}

export interface CreateServerOptions<Row> {
  db: Db;
  cache: Cache;
  rateLimiter: RateLimiter;
  logger: Logger;
  limits: ServerLimits;
  /** The single key from SMX_API_KEY, accepted besides the stored keys. */
  apiKey?: string | undefined;
  /** How readings are checked and written: validation per reading, one flush (COPY … COMMIT) per batch. */
  readings: { validate(raw: unknown): Validation<Row>; flush(rows: Row[]): Promise<boolean[]> };
  pingRedis?: (() => Promise<unknown>) | undefined;
  /** The Redis breaker's counts (redis-breaker.ts), for the metrics. */
  redisCounts?: { skipped: number; failed: number } | undefined;
  /** The clock of answers' timestamps, key-cache lifetimes and the drift route's windows (default: the system's). */
  now?: Clock | undefined;
  /** Reuse of API-key lookups (ms); revocations take effect within it. Default 5000. */
  authCacheMs?: number;
  timeouts?: {
    headersMs?: number;
    requestMs?: number;
    keepAliveMs?: number;
    /**
     * On shutdown, how long open keep-alive connections are still read (their
     * requests answered with Connection: close) before idle ones are closed.
     * Default 1000.
     */
    drainGraceMs?: number;
  };
}

export interface SmxServer {
  server: http.Server;
  metrics: ServerMetrics;
  batcher: GroupCommit<unknown, boolean>;
  /** Requests being handled now. */
  readonly inFlight: number;
  /**
   * Graceful stop: refuse new connections, answer the requests in flight, flush
   * the pending batch. Does not close the Db or Cache (their owner does).
   */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

/** Builds the HTTP server and its routes without listening (tests listen on port 0). */
export function createServer<Row>(options: CreateServerOptions<Row>): SmxServer {
  const { logger, limits, db } = options;
  const now = options.now ?? systemClock;
  const metrics = new ServerMetrics(() => db.poolStats(), options.redisCounts);
  const authenticator = createAuthenticator({
    db,
    apiKey: options.apiKey,
    cacheMs: options.authCacheMs,
    now,
  });
  const batcher = new GroupCommit<Row, boolean>({
    flush: options.readings.flush,
    maxRows: limits.batchMaxRows,
    maxDelayMs: limits.batchMaxDelayMs,
    concurrency: Math.max(1, Math.min(limits.flushConcurrency ?? 2, db.poolStats().max - 1)),
    closedError: shuttingDown,
    // A value PostgreSQL refused despite validation fails only its own request (group-commit.ts).
    isolate: mayBeTheRowsFault,
    onFlush: ({ rows, seconds, error, retriedApart }) => {
      metrics.batchRows.observe(rows);
      metrics.flushSeconds.observe(seconds);
      if (error) {
        metrics.flushFailures.inc();
        if (retriedApart) logger.warn({ err: error, rows }, 'group-commit flush failed; writing its requests apart');
        else logger.warn({ err: error, rows }, 'group-commit flush failed; its requests were answered with an error');
      }
    },
  });
  const router = new Router(
    routeTable({
      db,
      metrics,
      batcher,
      idempotency: createIdempotency(options.cache),
      validate: options.readings.validate,
      limits,
      pingRedis: options.pingRedis,
      now,
    }),
  );
  let draining = false;
  const handle = createRequestPipeline({
    router,
    authenticator,
    rateLimiter: options.rateLimiter,
    logger,
    bodyLimitBytes: limits.bodyLimitBytes,
    refusingWrites: () => batcher.isClosed,
    draining: () => draining,
  });

  let inFlight = 0;
  let idle: (() => void) | undefined;
  // Open connections, so a shutdown knows when every client has moved off.
  const sockets = new Set<Socket>();
  let noConnections: (() => void) | undefined;
  const headersMs = options.timeouts?.headersMs ?? 10_000;
  const server = http.createServer(
    {
      keepAliveTimeout: options.timeouts?.keepAliveMs ?? 5000,
      // Against slow clients: the headers within 10 s, the whole request within 30 s, checked every second.
      headersTimeout: headersMs,
      requestTimeout: options.timeouts?.requestMs ?? 30_000,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, headersMs / 2)),
    },
    (req, res) => {
      inFlight += 1;
      const started = performance.now();
      const settled = () => {
        inFlight -= 1;
        if (inFlight === 0) idle?.();
      };
      handle(req, res).then((routeName) => {
        settled();
        metrics.observeRequest(routeName, req.method ?? '', res.statusCode, (performance.now() - started) / 1000);
      }, settled);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) noConnections?.();
    });
  });

  return {
    server,
    metrics,
    batcher,
    get inFlight() {
      return inFlight;
    },
    async shutdown({ timeoutMs = 15_000 } = {}) {
      draining = true;
      // Stop accepting connections, but leave the open ones be: http.Server#close would also destroy
      // idle keep-alive connections at once, and a request a client was sending on one just then was
      // reset (ECONNRESET) instead of answered.
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const wait = (ms: number) =>
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
          timer.unref();
        });
      const deadline = wait(timeoutMs);
      // Grace: requests on open connections are still answered, with Connection: close, so every
      // client that is sending moves off; it ends early when no connection is left.
      if (sockets.size > 0)
        await Promise.race([
          new Promise<void>((resolve) => (noConnections = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, options.timeouts?.drainGraceMs ?? 1000).unref()),
          deadline,
        ]);
      // Requests in flight finish (their rows are flushed by the batcher as usual) ...
      if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (idle = resolve)), deadline]);
      // ... then whatever is still queued is flushed before the batcher closes.
      await batcher.close();
      // Connections idle through the grace are closed; those with a request still running close after its answer.
      server.closeIdleConnections();
      await Promise.race([closed, deadline]);
      clearTimeout(timer);
      server.closeAllConnections();
      await authenticator.close();
      metrics.close();
    },
  };
}

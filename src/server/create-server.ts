import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Cache } from '../cache/cache.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import { createAuthenticator } from './authenticate.js';
import { GroupCommit } from './group-commit.js';
import { HttpError, shuttingDown, toHttpError, tooManyRequests } from './http-error.js';
import { createIdempotency } from './idempotency.js';
import type { RateLimiter } from './rate-limiter.js';
import { readBody } from './request-body.js';
import type { RequestContext, RouteHandler, RouteResult } from './route-types.js';
import { checkDrift } from './routes/check-drift.js';
import { liveness, readiness } from './routes/health.js';
import { ingest, type Validation } from './routes/ingest.js';
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
  now?: () => number;
  /** Reuse of API-key lookups (ms); revocations take effect within it. Default 5000. */
  authCacheMs?: number;
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number };
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

interface Route {
  name: string;
  method: string;
  auth: boolean;
  perMinute?: number;
  handler: RouteHandler;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
/** Builds the HTTP server and its routes without listening (tests listen on port 0). */
export function createServer<Row>(options: CreateServerOptions<Row>): SmxServer {
  const { logger, limits } = options;
  const metrics = new ServerMetrics(options.db.pool);
  const authenticator = createAuthenticator({
    db: options.db,
    apiKey: options.apiKey,
    cacheMs: options.authCacheMs,
    now: options.now,
  });
  const idempotency = createIdempotency(options.cache);
  const batcher = new GroupCommit<Row, boolean>({
    flush: options.readings.flush,
    maxRows: limits.batchMaxRows,
    maxDelayMs: limits.batchMaxDelayMs,
    concurrency: Math.max(1, Math.min(limits.flushConcurrency ?? 2, options.db.pool.options.max - 1)),
    closedError: shuttingDown,
    onFlush: ({ rows, seconds, error }) => {
      metrics.batchRows.observe(rows);
      metrics.flushSeconds.observe(seconds);
      if (error) {
        metrics.flushFailures.inc();
        logger.warn({ err: error, rows }, 'group-commit flush failed; its requests were answered with an error');
      }
    },
  });

  // By path, then method: no key is built per request.
  const routes = new Map<string, Map<string, Route>>();
  const add = (route: Route) => {
    if (!routes.has(route.name)) routes.set(route.name, new Map());
    routes.get(route.name)!.set(route.method, route);
  };
  add({ name: '/health', method: 'GET', auth: false, handler: liveness });
  add({
    name: '/health/ready',
    method: 'GET',
    auth: false,
    handler: readiness({ db: options.db, pingRedis: options.pingRedis }),
  });
  add({
    name: '/metrics',
    method: 'GET',
    auth: false,
    handler: async () => ({
      status: 200,
      text: metrics.render(),
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
    }),
  });
  add({
    name: '/api/v1/data/ingest',
    method: 'POST',
    auth: true,
    perMinute: limits.ingestPerMinute,
    handler: ingest({ validate: options.readings.validate, batcher, idempotency, metrics }),
  });
  add({
    name: '/api/v1/ml/check_drift',
    method: 'POST',
    auth: true,
    perMinute: limits.driftPerMinute,
    handler: checkDrift({ db: options.db, now: options.now }),
  });
  /** Rate-limit bucket names by route and principal scope, made once per pair. */
  const bucketNames = new Map<Route, Map<string, string>>();
  const bucketName = (route: Route, scope: string) => {
    let byScope = bucketNames.get(route);
    if (!byScope) bucketNames.set(route, (byScope = new Map()));
    let name = byScope.get(scope);
    if (name === undefined) {
      name = `${scope}:${route.name}`;
      if (byScope.size >= 10_000) byScope.clear(); // bounded, like the limiter's own buckets
      byScope.set(scope, name);
    }
    return name;
  };

  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

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

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<string> {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const methods = routes.get(path);
    const route = methods?.get(req.method ?? '');
    let bodyPromise: Promise<Buffer> | undefined;
    let log: Logger | undefined;
    const context: RequestContext = {
      req,
      res,
      requestId,
      principal: undefined,
      body: () => (bodyPromise ??= readBody(req, limits.bodyLimitBytes)),
      log: () => (log ??= logger.child({ request_id: requestId })),
    };
    let result: RouteResult;
    try {
      if (!route) {
        if (methods) {
          const allow = [...methods.keys()].join(', ');
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}; use ${allow}.`, {
            headers: { allow },
          });
        }
        throw new HttpError(404, 'not_found', `No route ${path}.`);
      }
      if (route.auth && batcher.isClosed) throw shuttingDown();
      if (route.auth) {
        const header = req.headers['x-api-key'];
        // Both checks usually answer at once; awaiting only real promises saves two turns of the microtask queue per request.
        const principal = authenticator.authenticate(Array.isArray(header) ? header[0] : header);
        context.principal = principal instanceof Promise ? await principal : principal;
        if (route.perMinute) {
          const taken = options.rateLimiter.take(bucketName(route, context.principal.scope), route.perMinute);
          const decision = taken instanceof Promise ? await taken : taken;
          if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
        }
      }
      result = await route.handler(context);
    } catch (error) {
      const { error: httpError, internal } = toHttpError(error);
      if (internal) context.log().error({ err: error, route: route?.name ?? path }, 'request failed');
      else if (httpError.status >= 500)
        context.log().warn({ code: httpError.code, reason: (error as Error).message }, 'request refused');
      result = {
        status: httpError.status,
        headers: { ...httpError.headers },
        body: { error: httpError.code, message: httpError.message, ...httpError.details, request_id: requestId },
      };
    }
    send(res, result, requestId);
    if (logger.isLevelEnabled('debug'))
      context.log().debug({ method: req.method, path, status: result.status }, 'request');
    return route?.name ?? (methods ? path : 'unmatched');
  }

  function send(res: http.ServerResponse, result: RouteResult, requestId: string): void {
    const payload = result.text ?? JSON.stringify(result.body ?? {});
    const headers: http.OutgoingHttpHeaders = {
      'content-type': result.contentType ?? 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'x-request-id': requestId,
      ...result.headers,
    };
    if (draining) headers.connection = 'close';
    res.writeHead(result.status, headers);
    res.end(payload);
  }

  return {
    server,
    metrics,
    batcher: batcher,
    get inFlight() {
      return inFlight;
    },
    async shutdown({ timeoutMs = 15_000 } = {}) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
      // Requests in flight finish (their rows are flushed by the batcher as usual) ...
      if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (idle = resolve)), deadline]);
      // ... then whatever is still queued is flushed before the batcher closes.
      await batcher.close();
      server.closeIdleConnections();
      await Promise.race([closed, deadline]);
      server.closeAllConnections();
      await authenticator.close();
      metrics.close();
    },
  };
}

import type { AddressInfo } from 'node:net';
import type { Cache } from '../cache/cache.js';
import { createFallbackCache } from '../cache/fallback-cache.js';
import { createPostgresCache } from '../cache/postgres-cache.js';
import { connectRedisWithFallback, createRedisBreaker, type RedisBreaker } from '../cache/redis-breaker.js';
import { createRedisCache } from '../cache/redis-cache.js';
import type { Clock } from '../clock.js';
import type { SmxConfig } from '../config/schema.js';
import type { OpenedDatabase } from '../db/connect.js';
import { usageError } from '../errors.js';
import { createReadingWriter } from '../ingest/reading-writer.js';
import type { Logger } from '../log.js';
import { createServer, type SmxServer } from './create-server.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface StartServerOptions {
  config: Readonly<SmxConfig>;
  logger: Logger;
  /**
   * The run's database (a pool of config.serve.poolSize). Redis, when configured, is not the run's: the
   * server opens a connection of its own that may be down at start and fails fast (redis-breaker.ts),
   * where the run context's connection exits 4 when Redis does not answer.
   */
  database: OpenedDatabase;
  now?: Clock | undefined;
  /** Aborting it (SIGTERM/SIGINT through the run context) starts the graceful shutdown. */
  signal?: AbortSignal;
  /** Overrides of config.serve.host / port (port 0: any free port). */
  host?: string;
  port?: number;
  /** Overrides config.apiKey (e.g. a throwaway key for `smx loadtest --target serve`). */
  apiKey?: string;
}

export interface RunningServer {
  url: string;
  database: OpenedDatabase;
  app: SmxServer;
  rateLimiter: RateLimiter['kind'];
  /** Graceful shutdown, then the server's Redis connection is closed (the database stays open for its owner). Idempotent. */
  stop(): Promise<void>;
  /** Settles when the server has fully stopped. */
  stopped: Promise<void>;
}

/**
 * Listens with the run's database and stops gracefully when `signal` aborts:
 * no new connections, requests in flight answered, the pending batch flushed.
 * With Redis configured, rate limits and idempotency keys go to Redis behind a
 * circuit breaker, and to the process and PostgreSQL while it is down.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger, database } = options;
  const serve = config.serve;
  let cache: Cache = createPostgresCache(database.db, config.redisPrefix);
  let rateLimiter: RateLimiter = createMemoryRateLimiter(options.now);
  let pingRedis: (() => Promise<unknown>) | undefined;
  let redisCounts: RedisBreaker['counts'] | undefined;
  if (config.redisUrl) {
    // One connection, auto-pipelined (many rate-limit calls per tick go out in one write), behind a
    // breaker: while Redis is down, limits are kept in this process and idempotency keys in PostgreSQL.
    const redis = await connectRedisWithFallback(config.redisUrl, logger);
    const breaker = createRedisBreaker(redis, { logger });
    cache = createFallbackCache(createRedisCache(redis, config.redisPrefix), cache, breaker);
    rateLimiter = createRedisRateLimiter(redis, config.redisPrefix, breaker);
    pingRedis = () => redis.ping();
    redisCounts = breaker.counts;
  }
  try {
    const app = createServer({
      db: database.db,
      cache,
      rateLimiter,
      logger,
      limits: serve,
      apiKey: options.apiKey ?? config.apiKey,
      readings: createReadingWriter(database.db, { now: options.now }),
      pingRedis,
      redisCounts,
      now: options.now,
    });
    app.metrics.watchGroupCommit(() => app.batcher.pending);
    const host = options.host ?? serve.host;
    const port = options.port ?? serve.port;
    await new Promise<void>((resolve, reject) => {
      const refused = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
      app.server.once('error', refused);
      app.server.listen(port, host, () => {
        app.server.off('error', refused);
        resolve();
      });
    });
    const address = app.server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        logger.info(
          { inFlight: app.inFlight, pending: app.batcher.pending },
          'shutting down: finishing requests in flight and flushing the pending batch',
        );
        await app.shutdown();
        await cache.close();
        logger.info('server stopped');
      })());
    if (options.signal) {
      if (options.signal.aborted) void stop();
      else options.signal.addEventListener('abort', () => void stop(), { once: true });
    }
    const stopped = new Promise<void>((resolve) => app.server.once('close', () => void stop().then(resolve, resolve)));
    logger.info(
      { url, database: database.displayUrl, cache: cache.kind, rateLimiter: rateLimiter.kind },
      'smx serve listening',
    );
    return { url, database, app, rateLimiter: rateLimiter.kind, stop, stopped };
  } catch (error) {
    await cache.close().catch(() => undefined);
    throw error;
  }
}

/** Why the server could not listen, as a usage error (exit 2) that names the address: a port in use is not a bug. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): unknown {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const hint = 'Stop the process that holds it, or choose another --port (or serve.port in smx.config.json).';
  switch (error.code) {
    case 'EADDRINUSE':
      return usageError(`Cannot listen on ${where}: ${where} is already in use.`, { hint, cause: error });
    case 'EACCES':
      return usageError(`Cannot listen on ${where}: permission denied (ports below 1024 need privileges).`, {
        hint,
        cause: error,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return usageError(`Cannot listen on ${where}: ${host} is not an address of this machine.`, {
        hint: 'Use --host 127.0.0.1, 0.0.0.0 or an address this machine has (config serve.host).',
        cause: error,
      });
    case undefined:
    default:
      return error;
  }
}

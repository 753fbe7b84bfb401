import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Cache } from '../cache/cache.js';
import type { Clock } from '../clock.js';
import type { SmxConfig } from '../config/schema.js';
import type { OpenedDatabase } from '../db/connect.js';
import { createReadingWriter } from '../ingest/reading-writer.js';
import type { Logger } from '../log.js';
import { createServer, type SmxServer } from './create-server.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface StartServerOptions {
  config: Readonly<SmxConfig>;
  logger: Logger;
  /** The run's database (a pool of config.serve.poolSize), cache and Redis connection: the run context's, closed by it. */
  database: OpenedDatabase;
  cache: Cache;
  /** Present exactly when Redis is configured: rate limits and the readiness ping then go through Redis. */
  redis?: Redis | undefined;
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
  /** Graceful shutdown (the database, cache and Redis stay open for their owner). Idempotent. */
  stop(): Promise<void>;
  /** Settles when the server has fully stopped. */
  stopped: Promise<void>;
}

/**
 * Listens with the run's resources and stops gracefully when `signal` aborts:
 * no new connections, requests in flight answered, the pending batch flushed.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger, database, redis } = options;
  const serve = config.serve;
  let rateLimiter: RateLimiter = createMemoryRateLimiter(options.now);
  // Rate limits get a connection of their own with auto-pipelining: many calls per tick go out in one write.
  const limits = redis?.duplicate({ enableAutoPipelining: true });
  if (limits) {
    limits.on('error', () => undefined);
    rateLimiter = createRedisRateLimiter(limits, config.redisPrefix, logger);
  }
  try {
    const app = createServer({
      db: database.db,
      cache: options.cache,
      rateLimiter,
      logger,
      limits: serve,
      apiKey: options.apiKey ?? config.apiKey,
      readings: createReadingWriter(database.db, { now: options.now }),
      pingRedis: limits && (() => limits.ping()),
      now: options.now,
    });
    app.metrics.watchGroupCommit(() => app.batcher.pending);
    const host = options.host ?? serve.host;
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(options.port ?? serve.port, host, () => {
        app.server.off('error', reject);
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
        limits?.disconnect();
        logger.info('server stopped');
      })());
    if (options.signal) {
      if (options.signal.aborted) void stop();
      else options.signal.addEventListener('abort', () => void stop(), { once: true });
    }
    const stopped = new Promise<void>((resolve) => app.server.once('close', () => void stop().then(resolve, resolve)));
    logger.info(
      { url, database: database.displayUrl, cache: options.cache.kind, rateLimiter: rateLimiter.kind },
      'smx serve listening',
    );
    return { url, database, app, rateLimiter: rateLimiter.kind, stop, stopped };
  } catch (error) {
    limits?.disconnect();
    throw error;
  }
}

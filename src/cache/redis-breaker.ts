import { Redis, ReplyError } from 'ioredis';
import { redactUrl } from '../config/redact.js';
import type { Logger } from '../log.js';

/**
 * A circuit breaker in front of one Redis connection, for the uses that have
 * a fallback (`smx serve`'s rate limits and idempotency store). While Redis is
 * down the breaker is open and callers go to their fallback at once, without
 * sending anything or waiting: before it, every request waited for ioredis'
 * reconnect retries (0.1 to 6 s each) before falling back.
 *
 * Open when the connection is not ready (ioredis reconnects by itself, with a
 * capped backoff, and 'ready' closes the breaker), or when a command failed
 * other than by Redis' own reply (a timeout: Redis hung, or the network); then
 * a PING every `probeMs` closes it again once Redis answers. A command is given
 * `commandTimeoutMs` to answer. Transitions are logged, once each.
 */
export interface RedisBreaker {
  /** True while Redis is taken to be down: use the fallback, now. A property read, cheap enough for every request. */
  isOpen(): boolean;
  /** Runs one command; a failure that is not a Redis reply error opens the breaker (and is thrown). */
  run<T>(command: () => Promise<T>): Promise<T>;
  /** Counts for the metrics: calls that went straight to the fallback, and commands that failed. */
  readonly counts: { skipped: number; failed: number };
  close(): void;
}

export function createRedisBreaker(
  redis: Redis,
  options: { logger: Logger; probeMs?: number; what?: string },
): RedisBreaker {
  const { logger } = options;
  const what = options.what ?? 'rate limits and idempotency keys';
  const probeMs = options.probeMs ?? 1000;
  let connected = redis.status === 'ready';
  let tripped = false;
  let down = !connected;
  let probe: NodeJS.Timeout | undefined;
  const counts = { skipped: 0, failed: 0 };

  const noteDown = (reason: string, error?: unknown) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, reason }, `Redis does not answer: ${what} fall back until it does`);
  };
  const noteUp = () => {
    if (!down || !connected || tripped) return;
    down = false;
    logger.info(`Redis answers again: ${what} use it again`);
  };
  redis.on('ready', () => {
    connected = true;
    noteUp();
  });
  redis.on('close', () => {
    connected = false;
    noteDown('connection closed');
  });
  if (down) logger.warn(`Redis does not answer yet: ${what} fall back until it does`);

  const trip = (error: unknown) => {
    tripped = true;
    noteDown('a command failed', error);
    probe ??= setInterval(() => {
      if (!connected) return; // ioredis is reconnecting; 'ready' will tell
      redis.ping().then(
        () => {
          tripped = false;
          clearInterval(probe);
          probe = undefined;
          noteUp();
        },
        () => undefined,
      );
    }, probeMs).unref();
  };

  return {
    isOpen() {
      if (connected && !tripped) return false;
      counts.skipped += 1;
      return true;
    },
    async run(command) {
      try {
        return await command();
      } catch (error) {
        if (!(error instanceof ReplyError)) {
          counts.failed += 1;
          trip(error);
        }
        throw error;
      }
    },
    counts,
    close() {
      clearInterval(probe);
    },
  };
}

/**
 * A Redis connection for a path with a fallback: it neither queues commands
 * while disconnected nor retries them, and gives each `commandTimeoutMs`; the
 * first connection may fail (the server starts anyway, and ioredis keeps
 * reconnecting). Auto-pipelining sends many requests' commands in one write.
 */
export async function connectRedisWithFallback(
  url: string,
  logger: Logger,
  options: { commandTimeoutMs?: number } = {},
): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 1000),
  });
  redis.on('error', () => undefined); // seen through the breaker instead
  await redis
    .connect()
    .catch((error: unknown) =>
      logger.warn({ err: error }, `Redis at ${redactUrl(url)} does not answer at start; smx serve starts without it`),
    );
  return redis;
}

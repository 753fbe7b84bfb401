import { Redis } from 'ioredis';
import type { Cache } from './cache.js';
import { unavailableError } from '../errors.js';
import { redactUrl } from '../config/redact.js';

/** Connects to Redis and checks it answers; an unreachable Redis is exit 4 with a hint. */
export async function connectRedis(url: string, options: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    maxRetriesPerRequest: 2,
    // Reconnect with a capped backoff; requests fail fast instead of queueing forever.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined); // surfaced through failing commands instead
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw unavailableError(
      `Redis at ${redactUrl(url)} is not reachable: ${(error as Error).message.replace(/\.$/, '')}.`,
      {
        hint: 'Start Redis, fix SMX_REDIS_URL / --redis-url, or unset it to use the Postgres-backed equivalents.',
        cause: error,
      },
    );
  }
  return redis;
}

/** A Cache on `redis`; its close() disconnects the connection unless another owner keeps it (closeConnection false). */
export function createRedisCache(redis: Redis, prefix: string, { closeConnection = true } = {}): Cache {
  return {
    kind: 'redis',
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX')) === 'OK';
    },
    async get(key) {
      return (await redis.get(prefix + key)) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds === undefined) await redis.set(prefix + key, value);
      else await redis.set(prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
    async increment(key, by, ttlSeconds) {
      const [[, value] = [null, 0]] = (await redis
        .multi()
        .incrby(prefix + key, by)
        .expire(prefix + key, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
        .exec()) as Array<[Error | null, unknown]>;
      return Number(value);
    },
    async close() {
      if (closeConnection) redis.disconnect();
    },
  };
}

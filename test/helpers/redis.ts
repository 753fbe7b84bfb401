import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache } from '../../src/cache/cache.js';
import { connectRedis, createRedisCache } from '../../src/cache/redis-cache.js';

/**
 * Redis for tests: SMX_TEST_REDIS_URL, else 127.0.0.1:6379. Each test file uses
 * its own key prefix and deletes its keys afterwards. Outside CI a missing
 * Redis skips the Redis-backed cases with a plain message; with CI=true it fails.
 */
export const testRedisUrl = process.env.SMX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let available: Promise<boolean> | undefined;

export function redisAvailable(): Promise<boolean> {
  available ??= (async () => {
    const redis = new Redis(testRedisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return true;
    } catch {
      if (process.env.CI === 'true') {
        throw new Error(
          `Redis for tests does not answer at ${testRedisUrl}. In CI a missing service is a failure. Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`,
        );
      }
      return false;
    } finally {
      redis.disconnect();
    }
  })();
  return available;
}

/** node:test `skip` value: false when Redis answers, else the reason (never in CI, where it throws). */
export async function skipWithoutRedis(): Promise<string | false> {
  return (await redisAvailable()) ? false : `SKIPPED: no Redis at ${testRedisUrl}`;
}

export function testPrefix(): string {
  return `smx_test:${randomBytes(5).toString('hex')}:`;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const openedCaches: Cache[] = [];

/**
 * A Redis cache as the run context would open it (connectRedis: exit 4 when
 * Redis does not answer), closed by closeTestCaches() after the file's tests.
 */
export async function openTestCache(url: string, prefix: string): Promise<Cache> {
  const cache = createRedisCache(await connectRedis(url, { connectTimeoutMs: 1500 }), prefix);
  openedCaches.push(cache);
  return cache;
}

export async function closeTestCaches(): Promise<void> {
  await Promise.all(openedCaches.splice(0).map((cache) => cache.close()));
}

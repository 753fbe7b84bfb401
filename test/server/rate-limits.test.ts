import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createApiKey } from '../../src/api-keys/api-key-store.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '../../src/server/rate-limiter.js';
import { createRedisBreaker } from '../../src/cache/redis-breaker.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';
import { call, startHarness, withKey, type Harness } from './server-harness.js';

const skipRedis = (await redisAvailable()) ? false : `SKIPPED: no Redis at ${testRedisUrl}`;

describe('token bucket in process', () => {
  it('allows a minute of burst, then one request per refill interval, with Retry-After', async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter(() => now);
    for (let i = 0; i < 10; i++) assert.equal((await limiter.take('k', 10)).allowed, true);
    assert.deepEqual(await limiter.take('k', 10), { allowed: false, retryAfterSeconds: 6 });
    now += 3000;
    assert.deepEqual(await limiter.take('k', 10), { allowed: false, retryAfterSeconds: 3 });
    now += 3000;
    assert.equal((await limiter.take('k', 10)).allowed, true);
    assert.equal((await limiter.take('other', 10)).allowed, true);
  });
});

const redisLimiter = (redis: Redis, prefix: string) =>
  createRedisRateLimiter(redis, prefix, createRedisBreaker(redis, { logger: silentLogger() }));

describe('token bucket in Redis', { skip: skipRedis }, () => {
  const prefix = testPrefix();
  let redis: Redis;
  before(async () => {
    redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  after(async () => {
    redis?.disconnect();
    await deleteKeys(prefix);
  });

  it('is shared by limiters in different processes (one bucket per key in Redis)', async () => {
    const a = redisLimiter(redis, prefix);
    const second = redis.duplicate();
    await second.ping();
    const b = redisLimiter(second, prefix);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).take('shared', 10)));
    assert.equal(results.filter((r) => r.allowed).length, 10);
    const denied = results.find((r) => !r.allowed)!;
    assert.ok(denied.retryAfterSeconds >= 1 && denied.retryAfterSeconds <= 6, String(denied.retryAfterSeconds));
    second.disconnect();
  });

  it('falls back to the in-process bucket when Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    dead.on('error', () => undefined);
    const limiter = redisLimiter(dead, prefix);
    const results = await Promise.all(Array.from({ length: 4 }, () => limiter.take('offline', 3)));
    assert.deepEqual(
      results.map((r) => r.allowed),
      [true, true, true, false],
    );
    dead.disconnect();
  });
});

for (const kind of ['memory', 'redis'] as const) {
  describe(`smx serve: rate limits per key (${kind})`, { skip: kind === 'redis' ? skipRedis : false }, () => {
    let t: TestDatabase;
    let h: Harness;
    let redis: Redis | undefined;
    const prefix = testPrefix();
    before(async () => {
      t = await createTestDatabase();
      let limiter: RateLimiter = createMemoryRateLimiter();
      if (kind === 'redis') {
        redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
        await redis.ping();
        limiter = redisLimiter(redis, prefix);
      }
      h = await startHarness(t.db, { rateLimiter: limiter, limits: { ingestPerMinute: 5 } });
    });
    after(async () => {
      await h?.close();
      redis?.disconnect();
      if (kind === 'redis') await deleteKeys(prefix);
      await t?.drop();
    });

    it('the drift route allows 10 per minute per key, then 429 with Retry-After', async () => {
      const drift = (key?: string) =>
        call(h.url, '/api/v1/ml/check_drift', { headers: withKey({}, key), body: JSON.stringify({ sensor_id: 'rl' }) });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await drift()).status);
      assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
      const limited = await drift();
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      const other = await createApiKey(t.db, `rl-${kind}`);
      assert.equal((await drift(other.key)).status, 200); // another key has its own bucket
    });

    it('the ingest route has its own limit, and refused requests store nothing', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          (
            await call(h.url, '/api/v1/data/ingest', {
              headers: withKey(),
              body: JSON.stringify({ sensor_id: 'rl-ingest', value: i, timestamp: 1_767_225_600_000 + i }),
            })
          ).status,
        );
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429]);
      const { rows } = await t.db.query<{ n: number }>(
        "select count(*)::int as n from sensor_readings where sensor_id = 'rl-ingest'",
      );
      assert.equal(rows[0]!.n, 5);
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cache } from '../../src/cache/cache.js';
import { createPostgresCache } from '../../src/cache/postgres-cache.js';
import { connectRedis, createRedisCache } from '../../src/cache/redis-cache.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';

/** The same contract for both implementations. */
function contract(name: string, make: () => Promise<Cache>, skip: () => string | false) {
  describe(`Cache contract: ${name}`, () => {
    let cache: Cache;
    before(async () => {
      if (!skip()) cache = await make();
    });
    const test = (title: string, fn: () => Promise<void>): void => {
      void it(title, { skip: skip() }, fn);
    };

    test('setIfAbsent sets once, then refuses until the TTL passes', async () => {
      assert.equal(await cache.setIfAbsent('k1', 'a', 60), true);
      assert.equal(await cache.setIfAbsent('k1', 'b', 60), false);
      assert.equal(await cache.get('k1'), 'a');
    });

    test('expired keys are absent and can be set again', async () => {
      assert.equal(await cache.setIfAbsent('k2', 'a', 1), true);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await cache.get('k2'), undefined);
      assert.equal(await cache.setIfAbsent('k2', 'b', 60), true);
      assert.equal(await cache.get('k2'), 'b');
    });

    test('set, get, delete', async () => {
      await cache.set('k3', 'x');
      assert.equal(await cache.get('k3'), 'x');
      await cache.set('k3', 'y', 60);
      assert.equal(await cache.get('k3'), 'y');
      await cache.delete('k3');
      assert.equal(await cache.get('k3'), undefined);
    });

    test('increment is atomic under concurrency', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.increment('counter', 1, 60)));
      assert.equal(Math.max(...results), 50);
      assert.equal(new Set(results).size, 50);
    });

    test('concurrent setIfAbsent: exactly one winner', async () => {
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.setIfAbsent('race', String(i), 60)));
      assert.equal(wins.filter(Boolean).length, 1);
    });
  });
}

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});
contract(
  'postgres',
  async () => {
    database = await createTestDatabase({ poolSize: 20 });
    return createPostgresCache(database.db, 'c:');
  },
  () => false,
);

const prefix = testPrefix();
const haveRedis = await redisAvailable();
let redisCache: Cache | undefined;
after(async () => {
  await redisCache?.close();
  if (haveRedis) await deleteKeys(prefix);
});
contract(
  'redis',
  async () => {
    redisCache = createRedisCache(await connectRedis(testRedisUrl), prefix);
    return redisCache;
  },
  () => (haveRedis ? false : `SKIPPED: no Redis at ${testRedisUrl}`),
);

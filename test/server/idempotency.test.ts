import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cache } from '../../src/cache/cache.js';
import { createPostgresCache } from '../../src/cache/postgres-cache.js';
import { connectRedis, createRedisCache } from '../../src/cache/redis-cache.js';
import { createApiKey } from '../../src/api-keys/api-key-store.js';
import type { Reading } from '../../src/ingest/reading.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';
import { call, countReadings, startHarness, withKey, type Harness } from './server-harness.js';

const skipRedis = (await redisAvailable()) ? false : `SKIPPED: no Redis at ${testRedisUrl}`;

/** Idempotency-Key behaviour, against both cache implementations. */
for (const kind of ['postgres', 'redis'] as const) {
  describe(`smx serve: Idempotency-Key (${kind} cache)`, { skip: kind === 'redis' ? skipRedis : false }, () => {
    let t: TestDatabase;
    let h: Harness;
    let cache: Cache;
    const prefix = testPrefix();
    /** Flush behaviour per test: fail the next call, or hold it for a while. */
    const control = { failNext: false, delayMs: 0 };
    before(async () => {
      t = await createTestDatabase();
      cache = kind === 'redis' ? createRedisCache(await connectRedis(testRedisUrl), prefix) : createPostgresCache(t.db);
      h = await startHarness(t.db, {
        cache,
        wrapFlush: (flush) => async (rows: Reading[]) => {
          if (control.delayMs) await new Promise((r) => setTimeout(r, control.delayMs));
          if (control.failNext) {
            control.failNext = false;
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          }
          return flush(rows);
        },
      });
    });
    after(async () => {
      await h?.close();
      await cache?.close();
      if (kind === 'redis') await deleteKeys(prefix);
      await t?.drop();
    });

    const body = (sensor: string, n = 3) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({ sensor_id: sensor, value: i, timestamp: 1_767_225_600_000 + i * 1000 })),
      );

    it('a repeat returns the first response and stores nothing twice', async () => {
      const first = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'order-1' }),
        body: body('idem-a'),
      });
      assert.equal(first.status, 202);
      assert.equal(first.body.accepted, 3);
      const repeat = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'order-1' }),
        body: body('idem-a'),
      });
      assert.equal(repeat.status, 202);
      assert.equal(repeat.body.status, 'duplicate_ignored');
      assert.equal(repeat.body.event_id, first.body.event_id);
      assert.equal(repeat.body.accepted, 3);
      assert.equal(repeat.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await countReadings(t.db, 'idem-a'), { total: 3, distinct: 3 });
    });

    it('keys are scoped per API key, and a different body under the same key is 422', async () => {
      const other = await createApiKey(t.db, `idem-${kind}`);
      await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'shared' }),
        body: body('idem-b'),
      });
      const second = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'shared' }, other.key),
        body: body('idem-b'),
      });
      assert.equal(second.status, 202);
      assert.equal(second.body.status, 'accepted'); // processed (its rows are duplicates), not replayed
      assert.equal(second.body.duplicates, 3);
      const changed = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'shared' }),
        body: body('idem-c'),
      });
      assert.equal(changed.status, 422);
      assert.equal(changed.body.error, 'idempotency_key_reused');
    });

    it('a failed request releases its key: the retry is processed, not answered "duplicate"', async () => {
      control.failNext = true;
      const failed = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'retry-me' }),
        body: body('idem-d'),
      });
      assert.equal(failed.status, 503);
      assert.ok(Number(failed.headers.get('retry-after')) >= 1);
      assert.doesNotMatch(failed.text, /ECONNREFUSED|5432/);
      assert.deepEqual(await countReadings(t.db, 'idem-d'), { total: 0, distinct: 0 });
      const retry = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey({ 'idempotency-key': 'retry-me' }),
        body: body('idem-d'),
      });
      assert.equal(retry.status, 202);
      assert.equal(retry.body.status, 'accepted');
      assert.equal(retry.body.accepted, 3);
    });

    it('concurrent repeats: one is processed, the others wait for its answer', async () => {
      control.delayMs = 300;
      try {
        const answers = await Promise.all(
          Array.from({ length: 5 }, () =>
            call(h.url, '/api/v1/data/ingest', {
              headers: withKey({ 'idempotency-key': 'burst' }),
              body: body('idem-e'),
            }),
          ),
        );
        assert.deepEqual(
          answers.map((a) => a.status),
          [202, 202, 202, 202, 202],
        );
        assert.equal(answers.filter((a) => a.body.status === 'accepted').length, 1);
        assert.equal(new Set(answers.map((a) => a.body.event_id)).size, 1);
      } finally {
        control.delayMs = 0;
      }
      assert.deepEqual(await countReadings(t.db, 'idem-e'), { total: 3, distinct: 3 });
    });

    it('a repeat of a request still running after the wait gets 409 with Retry-After', async () => {
      control.delayMs = 2600;
      try {
        const first = call(h.url, '/api/v1/data/ingest', {
          headers: withKey({ 'idempotency-key': 'slow' }),
          body: body('idem-f'),
        });
        await new Promise((r) => setTimeout(r, 100));
        const repeat = await call(h.url, '/api/v1/data/ingest', {
          headers: withKey({ 'idempotency-key': 'slow' }),
          body: body('idem-f'),
        });
        assert.equal(repeat.status, 409);
        assert.equal(repeat.headers.get('retry-after'), '1');
        assert.equal((await first).status, 202);
      } finally {
        control.delayMs = 0;
      }
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/server/group-commit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { call, countReadings, startHarness, withKey, type Harness } from './server-harness.js';

describe('GroupCommit (batcher alone)', () => {
  it('groups concurrent adds into one flush and hands each caller its own outcomes', async () => {
    const flushes: number[][] = [];
    const batcher = new GroupCommit<number, number>({
      flush: async (rows) => (flushes.push(rows), rows.map((r) => r * 10)),
      maxRows: 100,
      maxDelayMs: 5,
    });
    const results = await Promise.all([batcher.add([1, 2]), batcher.add([3]), batcher.add([4, 5, 6])]);
    assert.deepEqual(results, [[10, 20], [30], [40, 50, 60]]);
    assert.deepEqual(flushes, [[1, 2, 3, 4, 5, 6]]);
  });

  it('flushes at maxRows without waiting, keeping requests whole', async () => {
    const sizes: number[] = [];
    const batcher = new GroupCommit<number, boolean>({
      flush: async (rows) => (sizes.push(rows.length), rows.map(() => true)),
      maxRows: 4,
      maxDelayMs: 10_000,
      concurrency: 1,
    });
    await Promise.all([batcher.add([1, 2, 3]), batcher.add([4, 5]), batcher.add([6, 7, 8, 9, 10])]);
    assert.deepEqual(sizes, [3, 2, 5]);
  });

  it('a failed flush rejects every request in it, and later flushes go on', async () => {
    let calls = 0;
    const batcher = new GroupCommit<number, boolean>({
      flush: async (rows) => {
        calls += 1;
        if (calls === 1) throw new Error('down');
        return rows.map(() => true);
      },
      maxRows: 100,
      maxDelayMs: 1,
    });
    const first = await Promise.allSettled([batcher.add([1]), batcher.add([2])]);
    assert.deepEqual(
      first.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await batcher.add([3]), [true]);
  });

  it('close() flushes what is queued and then refuses new rows', async () => {
    const flushed: number[] = [];
    const batcher = new GroupCommit<number, boolean>({
      flush: async (rows) => (flushed.push(...rows), rows.map(() => true)),
      maxRows: 100,
      maxDelayMs: 60_000,
    });
    const pending = batcher.add([7, 8]);
    await batcher.close();
    assert.deepEqual(await pending, [true, true]);
    assert.deepEqual(flushed, [7, 8]);
    await assert.rejects(batcher.add([9]));
  });
});

describe('smx serve: group commit under concurrent requests', () => {
  let t: TestDatabase;
  let h: Harness;
  before(async () => {
    t = await createTestDatabase({ poolSize: 4 });
    h = await startHarness(t.db, { limits: { batchMaxDelayMs: 5 } });
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  it('every acknowledged row is stored exactly once, in fewer flushes than requests', async () => {
    const requests = 300;
    const base = Date.UTC(2026, 2, 1);
    // Requests overlap on purpose: request i sends readings i and i+1, so most rows are sent twice.
    const answers = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        call(h.url, '/api/v1/data/ingest', {
          headers: withKey(),
          body: JSON.stringify(
            [i, i + 1].map((k) => ({ sensor_id: `gc-${k % 7}`, value: k, timestamp: base + k * 1000 })),
          ),
        }),
      ),
    );
    assert.ok(
      answers.every((a) => a.status === 202),
      JSON.stringify(answers.find((a) => a.status !== 202)?.body),
    );
    const accepted = answers.reduce((sum, a) => sum + Number(a.body.accepted), 0);
    const duplicates = answers.reduce((sum, a) => sum + Number(a.body.duplicates), 0);
    assert.equal(accepted, requests + 1); // readings 0..300, each stored once
    assert.equal(accepted + duplicates, 2 * requests);
    assert.deepEqual(await countReadings(t.db, 'gc-'), { total: requests + 1, distinct: requests + 1 });
    const metrics = (await call(h.url, '/metrics')).text;
    const flushes = Number(/smx_ingest_batch_rows_count (\d+)/.exec(metrics)?.[1]);
    assert.ok(flushes >= 1 && flushes < requests, `flushes: ${flushes}`);
  });
});

describe('smx serve: flushes at once (serve.flushConcurrency)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ poolSize: 5 });
  });
  after(async () => {
    await t?.drop();
  });

  // The most flushes seen running together while 40 requests arrive, each flush held for 20 ms.
  async function mostAtOnce(limits: { flushConcurrency?: number }): Promise<number> {
    let running = 0;
    let most = 0;
    const h = await startHarness(t.db, {
      limits: { batchMaxDelayMs: 0, ...limits },
      wrapFlush: (flush) => async (rows) => {
        most = Math.max(most, ++running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await flush(rows);
        } finally {
          running -= 1;
        }
      },
    });
    try {
      const base = Date.UTC(2026, 2, 2) + Math.floor(Math.random() * 1e9);
      // One request every 2 ms: flushes held 20 ms overlap, as many as the limit lets run.
      const pending: Array<Promise<{ status: number }>> = [];
      for (let i = 0; i < 40; i++) {
        pending.push(
          call(h.url, '/api/v1/data/ingest', {
            headers: withKey(),
            body: JSON.stringify({ sensor_id: 'fc-1', value: i, timestamp: base + i * 1000 }),
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const answers = await Promise.all(pending);
      assert.ok(answers.every((a) => a.status === 202));
    } finally {
      await h.close();
    }
    return most;
  }

  it('runs 2 flushes at once by default, as many as flushConcurrency says, never more than the pool allows', async () => {
    assert.equal(await mostAtOnce({}), 2);
    assert.equal(await mostAtOnce({ flushConcurrency: 1 }), 1);
    assert.equal(await mostAtOnce({ flushConcurrency: 3 }), 3);
    assert.equal(
      await mostAtOnce({ flushConcurrency: 9 }),
      4,
      'the pool has 5 connections: one is kept for other queries',
    );
  });
});

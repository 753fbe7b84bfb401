/**
 * One contract for both event buses (Redis Streams and the Postgres outbox):
 * fan-out to groups, sharing inside a group, idempotent publish, retries with
 * backoff, dead letters and replay, and leases that run out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { EventBus, SmxEvent } from '../../src/events/event-bus.js';
import { createPostgresEventBus } from '../../src/events/postgres-event-bus.js';
import { createRedisEventBus } from '../../src/events/redis-event-bus.js';
import { consume, drain, type ConsumeOptions, type HandleOutcome } from '../../src/events/consume.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';
import { eventually } from './eventually.js';

const fastPolicy = { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 1000 };

/** Runs `consume` until `done()` holds, then stops it; returns its stats. */
async function consumeUntil(bus: EventBus, options: Omit<ConsumeOptions, 'signal'>, done: () => boolean) {
  const controller = new AbortController();
  const running = consume(bus, { pollMs: 100, ...options, signal: controller.signal });
  try {
    await eventually(done, { timeoutMs: 15_000, what: 'the consumer to finish its work' });
  } finally {
    controller.abort();
  }
  return running;
}

function contract(name: string, make: () => Promise<EventBus>, skip: () => string | false) {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    before(async () => {
      if (!skip()) bus = await make();
    });
    after(async () => {
      await bus?.close();
    });
    const test = (title: string, fn: () => Promise<void>): void => {
      void it(title, { skip: skip() }, fn);
    };
    const unique = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;

    test('every subscribed group receives each event; groups created later do not get older ones', async () => {
      const type = `test.${unique('fanout')}`;
      await bus.ensureGroup('g_a', [type]);
      await bus.ensureGroup('g_b', [type]);
      const published = await bus.publish(type, { n: 1 });
      await bus.ensureGroup('g_late', [type]);
      for (const group of ['g_a', 'g_b']) {
        const seen: SmxEvent[] = [];
        await drain(bus, { group, types: [type], handler: async (e) => void seen.push(e) });
        assert.deepEqual(
          seen.map((e) => [e.id, e.payload]),
          [[published.id, { n: 1 }]],
        );
      }
      const late: SmxEvent[] = [];
      await drain(bus, { group: 'g_late', types: [type], handler: async (e) => void late.push(e) });
      assert.equal(late.length, 0);
    });

    test('publishing the same id twice delivers it once', async () => {
      const type = `test.${unique('dupe')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const id = randomUUID();
      await bus.publish(type, { v: 1 }, { id });
      await bus.publish(type, { v: 2 }, { id });
      const seen: SmxEvent[] = [];
      await drain(bus, { group, types: [type], handler: async (e) => void seen.push(e) });
      assert.deepEqual(
        seen.map((e) => e.payload),
        [{ v: 1 }],
      );
    });

    test('two consumers of one group share the events without overlap', async () => {
      const type = `test.${unique('share')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add((await bus.publish(type, { i })).id);
      const byConsumer: string[][] = [[], []];
      await Promise.all(
        byConsumer.map((mine, c) =>
          drain(bus, {
            group,
            types: [type],
            consumer: `c${c}`,
            batchSize: 3,
            handler: async (e) => {
              mine.push(e.id);
              await new Promise((r) => setImmediate(r));
            },
          }),
        ),
      );
      const all = byConsumer.flat();
      assert.equal(all.length, 30, 'each event handled exactly once');
      assert.deepEqual(new Set(all), ids);
    });

    test('a failing handler is retried with exponential backoff until it succeeds', async () => {
      const type = `test.${unique('retry')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const event = await bus.publish(type, { x: 1 });
      const attempts: number[] = [];
      const outcomes: HandleOutcome[] = [];
      await consumeUntil(
        bus,
        {
          group,
          types: [type],
          policy: { ...fastPolicy, maxAttempts: 5 },
          handler: async (_e, { attempt }) => {
            attempts.push(attempt);
            if (attempt < 3) throw new Error(`boom ${attempt}`);
          },
          onOutcome: (o) => outcomes.push(o),
        },
        () => outcomes.some((o) => o.result === 'done'),
      );
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.deepEqual(
        outcomes.map((o) => [o.event.id, o.result, o.delayMs]),
        [
          [event.id, 'retry', 40],
          [event.id, 'retry', 80],
          [event.id, 'done', undefined],
        ],
      );
      assert.equal((await bus.deadLetters({ group })).length, 0);
    });

    test('after maxAttempts failures the event is a dead letter; replay hands it out again', async () => {
      const type = `test.${unique('dead')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const event = await bus.publish(type, { y: 2 });
      let healthy = false;
      const outcomes: HandleOutcome[] = [];
      const handler = async () => {
        if (!healthy) throw new Error('downstream is down');
      };
      await consumeUntil(
        bus,
        { group, types: [type], policy: fastPolicy, handler, onOutcome: (o) => outcomes.push(o) },
        () => outcomes.some((o) => o.result === 'dead'),
      );
      assert.deepEqual(
        outcomes.map((o) => o.result),
        ['retry', 'retry', 'dead'],
      );
      const dead = await bus.deadLetters({ group });
      assert.equal(dead.length, 1);
      assert.equal(dead[0]!.event.id, event.id);
      assert.deepEqual(dead[0]!.event.payload, { y: 2 });
      assert.equal(dead[0]!.attempts, 3);
      assert.match(dead[0]!.lastError, /downstream is down/);
      // Nothing more is handed out while it is dead.
      assert.equal((await drain(bus, { group, types: [type], handler })).done, 0);

      healthy = true;
      assert.equal(await bus.replayDeadLetters({ group, eventIds: [event.id] }), 1);
      const replayed: Array<[string, number]> = [];
      await drain(bus, {
        group,
        types: [type],
        policy: fastPolicy,
        handler: async (e, { attempt }) => void replayed.push([e.id, attempt]),
      });
      assert.deepEqual(replayed, [[event.id, 1]], 'a replay starts counting attempts again');
      assert.equal((await bus.deadLetters({ group })).length, 0);
      assert.equal(await bus.replayDeadLetters({ group }), 0);
    });

    test('a replay never disturbs other groups, and a completed event is not handled twice', async () => {
      const type = `test.${unique('iso')}`;
      await bus.ensureGroup('iso_ok', [type]);
      await bus.ensureGroup('iso_bad', [type]);
      await bus.publish(type, {});
      const ok: string[] = [];
      await drain(bus, { group: 'iso_ok', types: [type], handler: async (e) => void ok.push(e.id) });
      await drain(bus, {
        group: 'iso_bad',
        types: [type],
        policy: { ...fastPolicy, maxAttempts: 1 },
        handler: async () => {
          throw new Error('no');
        },
      });
      assert.equal(await bus.replayDeadLetters({ group: 'iso_bad' }), 1);
      await drain(bus, { group: 'iso_ok', types: [type], handler: async (e) => void ok.push(e.id) });
      assert.equal(ok.length, 1);
      const bad: string[] = [];
      await drain(bus, { group: 'iso_bad', types: [type], handler: async (e) => void bad.push(e.id) });
      assert.equal(bad.length, 1);
    });

    test('a delivery whose consumer died goes to another consumer once its lease runs out', async () => {
      const type = `test.${unique('lease')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const event = await bus.publish(type, {});
      const first = await bus.claim(group, 'crashed', [type], { max: 5, visibilityMs: 200, waitMs: 0 });
      assert.deepEqual(
        first.map((d) => [d.event.id, d.attempt]),
        [[event.id, 1]],
      );
      assert.equal(
        (await bus.claim(group, 'other', [type], { max: 5, visibilityMs: 200, waitMs: 0 })).length,
        0,
        'leased',
      );
      let second: Awaited<ReturnType<EventBus['claim']>> = [];
      await eventually(
        async () => {
          second = await bus.claim(group, 'other', [type], { max: 5, visibilityMs: 200, waitMs: 0 });
          return second.length > 0;
        },
        { timeoutMs: 10_000, what: 'the expired lease to be reclaimed' },
      );
      assert.deepEqual(
        second.map((d) => [d.event.id, d.attempt, d.consumer]),
        [[event.id, 2, 'other']],
      );
      await bus.complete(second[0]!);
      assert.equal((await bus.claim(group, 'third', [type], { max: 5, visibilityMs: 200, waitMs: 0 })).length, 0);
    });

    test('a consumer that lost its lease cannot fail or dead-letter the newer delivery', async () => {
      const type = `test.${unique('stale')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const event = await bus.publish(type, {});
      const lease = { max: 5, visibilityMs: 1000, waitMs: 0 };
      const [stale] = await bus.claim(group, 'hung', [type], lease);
      let current: Awaited<ReturnType<EventBus['claim']>> = [];
      await eventually(async () => (current = await bus.claim(group, 'live', [type], lease)).length > 0, {
        timeoutMs: 10_000,
        what: 'the expired lease to be reclaimed',
      });
      assert.deepEqual(
        current.map((d) => [d.event.id, d.attempt]),
        [[event.id, 2]],
      );
      // The hung handler wakes up and reports on its old delivery, while 'live' is still working on it.
      await bus.extend(stale!, lease.visibilityMs);
      await bus.fail(stale!, { error: 'too late', dead: false, delayMs: 0 });
      await bus.fail(stale!, { error: 'too late', dead: true, delayMs: 0 });
      assert.deepEqual(await bus.claim(group, 'third', [type], lease), [], 'the live consumer still holds it');
      assert.deepEqual(await bus.deadLetters({ group }), []);
      await bus.complete(current[0]!);
      assert.deepEqual(await bus.claim(group, 'third', [type], lease), []);
    });

    test('a retry waits for its time even past the lease, and counts as one more attempt only', async () => {
      const type = `test.${unique('late')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const event = await bus.publish(type, {});
      const claimOptions = { max: 5, visibilityMs: 100, waitMs: 0 };
      const [first] = await bus.claim(group, 'c1', [type], claimOptions);
      assert.equal(first!.attempt, 1);
      await bus.fail(first!, { error: 'later', dead: false, delayMs: 2500 });
      // Idle for longer than the lease, but waiting for its retry time: not a stuck delivery.
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(await bus.claim(group, 'c2', [type], claimOptions), [], 'not handed out before it is due');
      assert.deepEqual(await bus.claim(group, 'c2', [type], claimOptions), []);
      let again: Awaited<ReturnType<EventBus['claim']>> = [];
      await eventually(async () => (again = await bus.claim(group, 'c2', [type], claimOptions)).length > 0, {
        timeoutMs: 10_000,
        what: 'the retry to come due',
      });
      assert.deepEqual(
        again.map((d) => [d.event.id, d.attempt]),
        [[event.id, 2]],
      );
      await bus.complete(again[0]!);
    });

    test('consume picks up events published while it waits, and recent() lists newest first', async () => {
      const type = `test.${unique('wake')}`;
      const group = unique('g');
      await bus.ensureGroup(group, [type]);
      const seen: string[] = [];
      const controller = new AbortController();
      const running = consume(bus, {
        group,
        types: [type],
        pollMs: 300,
        signal: controller.signal,
        handler: async (e) => void seen.push(e.id),
      });
      const a = await bus.publish(type, { k: 'a' });
      const b = await bus.publish(type, { k: 'b' });
      await eventually(() => seen.length === 2, { timeoutMs: 10_000, what: 'both events handled' });
      controller.abort();
      assert.equal((await running).done, 2);
      assert.deepEqual(seen, [a.id, b.id]);
      assert.deepEqual(
        (await bus.recent({ type, limit: 5 })).map((e) => e.id),
        [b.id, a.id],
      );
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
    database = await createTestDatabase({ poolSize: 10 });
    return createPostgresEventBus(database.db);
  },
  () => false,
);

const prefix = testPrefix();
const haveRedis = await redisAvailable();
const redisConnections: Redis[] = [];
after(async () => {
  for (const r of redisConnections) r.disconnect();
  if (haveRedis) await deleteKeys(prefix);
});
contract(
  'redis',
  async () => {
    const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
    redisConnections.push(redis);
    return createRedisEventBus(redis, { prefix });
  },
  () => (haveRedis ? false : `SKIPPED: no Redis at ${testRedisUrl}`),
);

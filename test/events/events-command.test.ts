/** `smx events` as a subprocess on both buses: list, publish, dead letters and their replay. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { EventBus } from '../../src/events/event-bus.js';
import { createPostgresEventBus } from '../../src/events/postgres-event-bus.js';
import { createRedisEventBus } from '../../src/events/redis-event-bus.js';
import { drain } from '../../src/events/consume.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';

const haveRedis = await redisAvailable();

interface BusSetup {
  env(databaseUrl: string): NodeJS.ProcessEnv;
  open(database: TestDatabase): EventBus;
  cleanup(): Promise<void>;
}

const prefix = testPrefix();
const redisConnections: Redis[] = [];
const buses: Array<[name: 'postgres' | 'redis', skip: string | false, setup: BusSetup]> = [
  [
    'postgres',
    false,
    {
      env: (url) => ({ SMX_DATABASE_URL: url, SMX_REDIS_URL: '' }),
      open: (database) => createPostgresEventBus(database.db),
      cleanup: async () => undefined,
    },
  ],
  [
    'redis',
    haveRedis ? false : `SKIPPED: no Redis at ${testRedisUrl}`,
    {
      env: (url) => ({ SMX_DATABASE_URL: url, SMX_REDIS_URL: testRedisUrl, SMX_REDIS_PREFIX: prefix }),
      open: () => {
        const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
        redisConnections.push(redis);
        return createRedisEventBus(redis, { prefix });
      },
      cleanup: async () => {
        for (const r of redisConnections) r.disconnect();
        if (haveRedis) await deleteKeys(prefix);
      },
    },
  ],
];

for (const [name, skip, setup] of buses) {
  describe(`smx events (${name} bus)`, { skip }, () => {
    let database: TestDatabase;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      database = await createTestDatabase();
      env = setup.env(database.url);
    });
    after(async () => {
      await setup.cleanup();
      await database.drop();
    });

    it('publishes and lists events', async () => {
      const id = '0b6f1f4e-52a4-4d0c-9d0e-6f1f4e52a44d';
      const published = await runCli(
        ['events', 'publish', 'drift.detected', '--payload', '{"sensor_id":"p1"}', '--id', id, '--json'],
        { env },
      );
      assert.equal(published.code, 0, published.stderr);
      const listed = await runCli(['events', 'list', '--type', 'drift.detected', '--json'], { env });
      const out = JSON.parse(listed.stdout) as { bus: string; events: Array<{ id: string; payload: unknown }> };
      assert.equal(out.bus, name);
      assert.deepEqual(
        out.events.map((e) => [e.id, e.payload]),
        [[id, { sensor_id: 'p1' }]],
      );
      assert.equal((await runCli(['events', 'publish', 'drift.detected', '--payload', '[1]'], { env })).code, 2);
    });

    it('shows dead letters and replays them', async () => {
      const bus = setup.open(database);
      try {
        await bus.ensureGroup('ops', ['job.failed_twice']);
        const event = await bus.publish('job.failed_twice', { n: 1 });
        await drain(bus, {
          group: 'ops',
          types: ['job.failed_twice'],
          policy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
          handler: async () => {
            throw new Error('disk full');
          },
        });
        const listed = await runCli(['events', 'dlq', 'list', '--group', 'ops'], { env });
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, new RegExp(`${name} bus, 1 dead letter`));
        assert.match(listed.stdout, /disk full/);
        assert.match(listed.stdout, new RegExp(event.id));
        assert.equal((await runCli(['events', 'dlq', 'retry'], { env })).code, 2, 'ids or --all are required');
        const retried = await runCli(['events', 'dlq', 'retry', '--group', 'ops', '--all', '--json'], { env });
        assert.equal((JSON.parse(retried.stdout) as { replayed: number }).replayed, 1);
        const seen: string[] = [];
        await drain(bus, { group: 'ops', types: ['job.failed_twice'], handler: async (e) => void seen.push(e.id) });
        assert.deepEqual(seen, [event.id]);
        const empty = await runCli(['events', 'dlq', 'list', '--group', 'ops', '--json'], { env });
        assert.deepEqual((JSON.parse(empty.stdout) as { deadLetters: unknown[] }).deadLetters, []);
      } finally {
        await bus.close();
      }
    });
  });
}

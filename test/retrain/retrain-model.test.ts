/**
 * The retrain loop against a real database: promotion and rejection, the
 * durable cooldown, one run per model under concurrency (two consumers), the
 * time limit, the webhook announcement and the completion event.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createPostgresEventBus } from '../../src/events/postgres-event-bus.js';
import { createRedisEventBus } from '../../src/events/redis-event-bus.js';
import type { EventBus } from '../../src/events/event-bus.js';
import {
  defaultRetrainSettings,
  retrainModel,
  type RetrainDeps,
  type RetrainSettings,
} from '../../src/retrain/run-retrain.js';
import { createWebhookNotifier } from '../../src/retrain/webhook-notifier.js';
import { retrainGroup, watchDrift } from '../../src/retrain/watch-drift.js';
import type { RetrainOutcome } from '../../src/retrain/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';
import { eventually } from '../events/eventually.js';
import { MemoryTrainer } from './memory-trainer.js';
import { startReceiver } from './http-receiver.js';

const haveRedis = await redisAvailable();
const prefix = testPrefix();
const redisConnections: Redis[] = [];
const redisBuses: EventBus[] = [];
/** A Redis bus of its own key prefix, closed with the suite. */
function redisBus(): EventBus {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
  redisConnections.push(redis);
  const bus = createRedisEventBus(redis, { prefix });
  redisBuses.push(bus);
  return bus;
}

const settings: RetrainSettings = { ...defaultRetrainSettings, policy: { margin: 0.01, marginKind: 'absolute' } };
const targets = [
  { model: 'pump-health', sensors: ['pump-1', 'pump-2'] },
  { model: 'fan-if', sensors: ['fan-1'] },
];

describe('retrainModel', () => {
  let database: TestDatabase;
  let pgBus: EventBus;
  let trainer: MemoryTrainer;
  let deps: RetrainDeps;
  before(async () => {
    database = await createTestDatabase({ poolSize: 12 });
    pgBus = createPostgresEventBus(database.db);
  });
  beforeEach(async () => {
    await database.db.query('truncate retrain_runs, events cascade');
    trainer = new MemoryTrainer(targets);
    deps = { db: database.db, trainer, bus: pgBus, now: () => Date.parse('2026-03-01T12:00:00Z') };
  });
  after(async () => {
    await pgBus.close();
    for (const b of redisBuses) await b.close();
    for (const r of redisConnections) r.disconnect();
    if (haveRedis) await deleteKeys(prefix);
    await database.drop();
  });

  const runs = async () =>
    (await database.db.query<Record<string, any>>('select * from retrain_runs order by id')).rows;

  it('promotes a challenger that beats the champion on the same held-out window, and records both', async () => {
    trainer.nextScore = 0.9;
    const outcome = await retrainModel(deps, settings, 'pump-health', { kind: 'manual' });
    assert.equal(outcome.status, 'promoted');
    assert.deepEqual(trainer.calls, [
      'train pump-health',
      'evaluate pump-health@2 on 2026-02-23T12:00:00.000Z..2026-03-01T12:00:00.000Z',
      'evaluate pump-health@1 on 2026-02-23T12:00:00.000Z..2026-03-01T12:00:00.000Z',
      'promote pump-health@2',
    ]);
    const [row] = await runs();
    assert.equal(row!.status, 'promoted');
    assert.equal(row!.trigger, 'manual');
    assert.equal(row!.champion_version, '1');
    assert.equal(row!.challenger_version, '2');
    assert.equal(row!.champion_metrics.primary.value, 0.8);
    assert.equal(row!.challenger_metrics.primary.value, 0.9);
    assert.deepEqual(row!.data_window, {
      from: '2026-01-30T12:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
      heldOutFrom: '2026-02-23T12:00:00.000Z',
      sensors: [],
    });
    assert.match(row!.reason, /better by 0.1 >= margin 0.01/);
    assert.ok(row!.finished_at instanceof Date);
    const [event] = await pgBus.recent({ type: 'model.retrain.completed' });
    assert.deepEqual(
      [event!.payload.event_type, event!.payload.models_retrained, event!.payload.status],
      ['ModelRetrainingCompletedEvent', ['pump-health'], 'promoted'],
    );
  });

  it('rejects a challenger that is not better by the margin, keeps the champion and says why', async () => {
    trainer.nextScore = 0.805;
    const outcome = await retrainModel(deps, settings, 'pump-health', { kind: 'cron' });
    assert.equal(outcome.status, 'rejected');
    assert.ok(!trainer.calls.some((c) => c.startsWith('promote')));
    assert.equal(await trainer.champion('pump-health'), '1');
    const [row] = await runs();
    assert.equal(row!.status, 'rejected');
    assert.match(row!.reason, /challenger 0.805 vs champion 0.8 .*below the margin 0.01; keeping the champion/);
  });

  it('the cooldown is read from retrain_runs, so a fresh process still honours it; --force overrides', async () => {
    await retrainModel(deps, settings, 'pump-health', { kind: 'manual' });
    const restarted: RetrainDeps = { ...deps, trainer: new MemoryTrainer(targets) };
    const again = await retrainModel(restarted, settings, 'pump-health', { kind: 'manual' });
    assert.equal(again.status, 'skipped');
    assert.match(again.reason, /cooldown: last run started .*next allowed in 24 h/);
    assert.deepEqual((restarted.trainer as MemoryTrainer).calls, []);
    const forced = await retrainModel(restarted, settings, 'pump-health', { kind: 'manual' }, { force: true });
    assert.equal(forced.status, 'promoted');
    assert.match(forced.reason, /forced during the cooldown/);
    assert.deepEqual(
      (await runs()).map((r) => r.status),
      ['promoted', 'skipped', 'promoted'],
    );
  });

  it('two runs of one model at once: one trains, the other is skipped by the advisory lock', async () => {
    let open!: () => void;
    trainer.gate = new Promise<void>((resolve) => (open = resolve));
    const first = retrainModel(deps, settings, 'pump-health', { kind: 'manual' }, { force: true });
    await eventually(() => trainer.calls.length === 1, { what: 'the first run to start training' });
    const second = await retrainModel(deps, settings, 'pump-health', { kind: 'manual' }, { force: true });
    assert.equal(second.status, 'skipped');
    assert.match(second.reason, /another retrain of pump-health is running/);
    open();
    assert.equal((await first).status, 'promoted');
    assert.equal(trainer.calls.filter((c) => c.startsWith('train')).length, 1);
  });

  it('a run past its time limit fails, is recorded and releases the lock', async () => {
    trainer.gate = new Promise<void>(() => undefined);
    const outcome = await retrainModel(deps, { ...settings, timeoutMs: 200 }, 'fan-if', { kind: 'manual' });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.reason, 'timed out after 0 min');
    trainer.gate = undefined;
    assert.equal(
      (await retrainModel(deps, settings, 'fan-if', { kind: 'manual' }, { force: true })).status,
      'promoted',
    );
    assert.deepEqual(
      (await runs()).map((r) => r.status),
      ['failed', 'promoted'],
    );
  });

  it('announces each run to the webhook in the background', async () => {
    const receiver = await startReceiver();
    try {
      const notifier = createWebhookNotifier(receiver.url, { baseDelayMs: 10 });
      trainer.failTraining = new Error('pipeline exploded');
      const outcome = await retrainModel({ ...deps, notifier }, settings, 'fan-if', { kind: 'manual' });
      assert.equal(outcome.status, 'failed');
      assert.equal(await notifier.drain(5000), 0);
      const body = receiver.bodies[0] as { text: string; smx: Record<string, unknown> };
      assert.match(body.text, /^:x: smx retrain \*fan-if\*: failed after manual run\. pipeline exploded$/);
      assert.equal(body.smx.status, 'failed');
    } finally {
      receiver.server.closeAllConnections();
      receiver.server.close();
    }
  });

  it('a webhook that hangs never holds up the run', async () => {
    const receiver = await startReceiver();
    try {
      receiver.script.push(0, 0, 0); // every try hangs until the notifier's own timeout
      const notifier = createWebhookNotifier(receiver.url, { baseDelayMs: 10, timeoutMs: 30_000, attempts: 3 });
      const outcome = await retrainModel({ ...deps, notifier }, settings, 'pump-health', { kind: 'manual' });
      assert.equal(outcome.status, 'promoted');
      assert.deepEqual(
        (await runs()).map((r) => r.status),
        ['promoted'],
        'the run is recorded while the announcement is still in flight',
      );
      assert.equal(await notifier.drain(50), 1, 'the announcement is still waiting on the receiver');
      assert.deepEqual(receiver.bodies, []);
    } finally {
      receiver.server.closeAllConnections();
      receiver.server.close();
    }
  });

  for (const busName of ['postgres', 'redis'] as const)
    it(
      `--watch on the ${busName} bus: two consumers, two drift events for one model at once: one retrain; others skipped; redelivery is idempotent`,
      { skip: busName === 'redis' && !haveRedis ? `SKIPPED: no Redis at ${testRedisUrl}` : false },
      async () => {
        const bus = busName === 'postgres' ? pgBus : redisBus();
        deps = { ...deps, bus };
        await bus.ensureGroup(retrainGroup, ['drift.detected']);
        let open!: () => void;
        trainer.gate = new Promise<void>((resolve) => (open = resolve));
        const controller = new AbortController();
        const outcomes: RetrainOutcome[] = [];
        const watchers = ['watcher-a', 'watcher-b'].map((consumer) =>
          watchDrift({ ...deps, bus }, settings, {
            signal: controller.signal,
            consumer,
            pollMs: 100,
            onOutcomes: (_e, o) => outcomes.push(...o),
          }),
        );
        let e1, e2;
        try {
          e1 = await bus.publish('drift.detected', {
            event_type: 'DriftDetectedEvent',
            sensor_id: 'pump-1',
            sensor_ids: ['pump-1'],
          });
          e2 = await bus.publish('drift.detected', {
            event_type: 'DriftDetectedEvent',
            sensor_id: 'pump-2',
            sensor_ids: ['pump-2', 'fan-1'],
          });
          // Each watcher holds one event: one trains pump-health (held open by the gate), the other finds its lock taken.
          await eventually(
            async () => {
              const skipped = await database.db.query(
                `select 1 from retrain_runs where model_name = 'pump-health' and status = 'skipped'`,
              );
              return skipped.rowCount === 1 && trainer.calls.includes('train pump-health');
            },
            { what: 'one pump-health run training and the other skipped' },
          );
          open();
          await eventually(() => outcomes.length === 3, { what: 'all three planned runs' });
        } finally {
          open();
          controller.abort();
          await Promise.all(watchers);
        }
        const byModel = (m: string) =>
          outcomes
            .filter((o) => o.model === m)
            .map((o) => o.status)
            .sort();
        assert.deepEqual(byModel('pump-health'), ['promoted', 'skipped']);
        assert.deepEqual(byModel('fan-if'), ['promoted']);
        assert.equal(trainer.calls.filter((c) => c === 'train pump-health').length, 1);
        const pumpRuns = (await runs()).filter((r) => r.model_name === 'pump-health');
        assert.deepEqual(pumpRuns.map((r) => r.event_id).sort(), [e1.id, e2.id].sort());
        // Whichever guard saw it first: the lock (the other run holds it) or the cooldown (its running row counts).
        assert.match(
          pumpRuns.find((r) => r.status === 'skipped')!.reason,
          /another retrain of pump-health is running|cooldown: last run started/,
        );
        // The same event handled again (a redelivery) does not retrain.
        const { retrainForDriftEvent } = await import('../../src/retrain/watch-drift.js');
        const handledBy = pumpRuns.find((r) => r.status === 'promoted')!;
        const event = handledBy.event_id === e1.id ? e1 : e2;
        const replay = await retrainForDriftEvent(deps, { ...settings, cooldownMs: 0 }, event);
        const pumpReplay = replay.find((o) => o.model === 'pump-health')!;
        assert.equal(pumpReplay.status, 'skipped');
        assert.match(pumpReplay.reason, new RegExp(`already handled by run #${handledBy.id} \\(promoted\\)`));
      },
    );
});

/**
 * The retrain loop heals itself: a watcher killed with kill -9 in the middle
 * of a run leaves a 'running' row; the next watcher marks it failed
 * (orphaned, its model lock was free) and retries its event. A failed run does
 * not start the cooldown. Retries and dead letters are logged as they happen,
 * dead letters reach the webhook, and each event is logged with what every
 * model did or why nothing ran.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createPostgresEventBus } from '../../src/events/postgres-event-bus.js';
import type { EventBus } from '../../src/events/event-bus.js';
import { defaultRetrainSettings, retrainModel, type RetrainDeps } from '../../src/retrain/run-retrain.js';
import { retrainGroup, watchDrift } from '../../src/retrain/watch-drift.js';
import { createWebhookNotifier } from '../../src/retrain/webhook-notifier.js';
import type { RetrainOutcome } from '../../src/retrain/types.js';
import { packageRoot } from '../../src/package-root.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../events/eventually.js';
import { MemoryTrainer } from './memory-trainer.js';
import { startReceiver } from './http-receiver.js';

const targets = [{ model: 'pump-health', sensors: ['pump-1'] }];

function captureLogger() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: unknown, message?: string) =>
    void lines.push({ level, fields: fields as Record<string, unknown>, message: message ?? '' });
  const logger = { info: at('info'), warn: at('warn'), error: at('error') } as unknown as RetrainDeps['logger'];
  return { lines, logger };
}

describe('retrain: orphaned runs, failed runs and what the watcher says', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let bus: EventBus;
  before(async () => {
    database = await createTestDatabase({ poolSize: 10 });
    bus = createPostgresEventBus(database.db);
  });
  beforeEach(async () => {
    await database.db.query('truncate retrain_runs, events cascade');
  });
  after(async () => {
    await bus.close();
    await database.drop();
  });
  const runs = async () =>
    (await database.db.query<Record<string, any>>('select * from retrain_runs order by id')).rows;

  it('a failed run does not start the cooldown: the next event retrains', async () => {
    const trainer = new MemoryTrainer(targets);
    const deps: RetrainDeps = { db: database.db, trainer, now: () => Date.parse('2026-03-01T12:00:00Z') };
    trainer.failTraining = new Error('pipeline exploded');
    assert.equal(
      (await retrainModel(deps, defaultRetrainSettings, 'pump-health', { kind: 'manual' })).status,
      'failed',
    );
    trainer.failTraining = undefined;
    const next = await retrainModel(deps, defaultRetrainSettings, 'pump-health', { kind: 'manual' });
    assert.equal(next.status, 'promoted', next.reason);
    assert.deepEqual(
      (await runs()).map((r) => r.status),
      ['failed', 'promoted'],
    );
  });

  it('kill -9 of a watcher mid-run: the next watcher marks the run failed (orphaned) and retries its event', async () => {
    await bus.ensureGroup(retrainGroup, ['drift.detected']);
    const child = spawn(
      process.execPath,
      [path.join(packageRoot, 'dist', 'test', 'retrain', 'watcher-process.js'), database.url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const event = await bus.publish('drift.detected', { event_type: 'DriftDetectedEvent', sensor_ids: ['pump-1'] });
    try {
      await eventually(() => output.includes('training pump-health'), {
        timeoutMs: 30_000,
        what: `the watcher to start training (${output})`,
      });
      const [running] = await runs();
      assert.equal(running!.status, 'running');
      assert.equal(running!.event_id, event.id);
      assert.match(running!.owner, /:\d+$/);
      assert.ok(running!.lease_until > running!.started_at);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // The dead watcher's row says 'running' for ever unless someone recovers it.
    assert.equal((await runs())[0]!.status, 'running');

    const { lines, logger } = captureLogger();
    const controller = new AbortController();
    const outcomes: RetrainOutcome[] = [];
    const watcher = watchDrift(
      { db: database.db, trainer: new MemoryTrainer(targets), bus, logger },
      defaultRetrainSettings,
      {
        signal: controller.signal,
        consumer: 'next-watcher',
        pollMs: 100,
        visibilityMs: 1500,
        onOutcomes: (_e, o) => outcomes.push(...o),
      },
    );
    try {
      // The event comes back once the dead watcher's lease (1.5 s) has run out.
      await eventually(() => outcomes.length > 0, { timeoutMs: 30_000, what: 'the event to be retried' });
    } finally {
      controller.abort();
      await watcher;
    }
    const [orphan, retried] = await runs();
    assert.equal(orphan!.status, 'failed');
    assert.match(orphan!.reason, /orphaned: its process died/);
    assert.equal(retried!.status, 'promoted');
    assert.equal(retried!.event_id, event.id);
    assert.ok(lines.some((l) => l.level === 'warn' && /orphaned/.test(l.message)));
    assert.ok(lines.some((l) => l.level === 'info' && /drift event handled: pump-health promoted/.test(l.message)));
  });

  it('retries and the dead letter are logged as they happen; the dead letter goes to the webhook', async () => {
    const receiver = await startReceiver();
    try {
      await bus.ensureGroup(retrainGroup, ['drift.detected']);
      const trainer = new MemoryTrainer(targets);
      trainer.targets = async () => {
        throw new Error('registry unreadable');
      };
      const notifier = createWebhookNotifier(receiver.url, { baseDelayMs: 10 });
      const { lines, logger } = captureLogger();
      const controller = new AbortController();
      const results: string[] = [];
      const watcher = watchDrift({ db: database.db, trainer, bus, logger, notifier }, defaultRetrainSettings, {
        signal: controller.signal,
        pollMs: 50,
        policy: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
        onDelivery: (o) => {
          results.push(o.result);
          // Logged before the delivery is reported: as it happens, not at the end.
          const logged = lines.filter((l) => l.fields.eventId === o.event.id && l.level !== 'info').length;
          assert.equal(logged, results.filter((r) => r === 'retry' || r === 'dead').length);
        },
      });
      const event = await bus.publish('drift.detected', { event_type: 'DriftDetectedEvent', sensor_ids: ['pump-1'] });
      try {
        await eventually(() => results.includes('dead'), { timeoutMs: 20_000, what: 'the dead letter' });
        await notifier.drain(5000);
      } finally {
        controller.abort();
        await watcher;
      }
      assert.deepEqual(results, ['retry', 'retry', 'dead']);
      const retries = lines.filter((l) => /retrying later/.test(l.message));
      assert.deepEqual(
        retries.map((l) => [l.fields.attempt, l.fields.error]),
        [
          [1, 'registry unreadable'],
          [2, 'registry unreadable'],
        ],
      );
      assert.ok(lines.some((l) => l.level === 'error' && /dead letter/.test(l.message)));
      const body = receiver.bodies[0] as { text: string; smx: Record<string, unknown> };
      assert.match(
        body.text,
        new RegExp(
          `event ${event.id} \\(drift\\.detected, sensors pump-1\\) failed 3 times and is a dead letter in group retrain: registry unreadable`,
        ),
      );
      assert.equal(body.smx.deadLetter, true);
    } finally {
      receiver.server.closeAllConnections();
      receiver.server.close();
    }
  });

  it('an event no model watches is logged as skipped, with why', async () => {
    await bus.ensureGroup(retrainGroup, ['drift.detected']);
    const { lines, logger } = captureLogger();
    const controller = new AbortController();
    const results: string[] = [];
    const watcher = watchDrift(
      { db: database.db, trainer: new MemoryTrainer(targets), bus, logger },
      defaultRetrainSettings,
      {
        signal: controller.signal,
        pollMs: 50,
        onDelivery: (o) => results.push(o.result),
      },
    );
    await bus.publish('drift.detected', { event_type: 'DriftDetectedEvent', sensor_ids: ['boiler-9'] });
    try {
      await eventually(() => results.length === 1, { what: 'the event to be handled' });
    } finally {
      controller.abort();
      await watcher;
    }
    const line = lines.find((l) => /skipped/.test(l.message))!;
    assert.match(line.message, /no registered model watches these sensors/);
    assert.deepEqual(line.fields.sensors, ['boiler-9']);
  });
});

/**
 * `smx drift` as a subprocess against a real database: exit codes, the
 * drift_checks row, the drift.detected event on both buses, the HTML report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { deleteKeys, redisAvailable, testPrefix, testRedisUrl } from '../helpers/redis.js';
import { seedReadings } from './seed-readings.js';

const haveRedis = await redisAvailable();
const reference = '--reference=2026-01-01T00:00Z..2026-01-01T01:00Z';
const current = '--current=2026-01-01T01:00Z..2026-01-01T02:00Z';

describe('smx drift', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const dir = tempDir('smx-drift-cli-');
  before(async () => {
    database = await createTestDatabase();
    env = { SMX_DATABASE_URL: database.url, SMX_REDIS_URL: '', SMX_STATE_DIR: path.join(dir, 'state') };
    // stable: the same spread in both hours; shifted: +0.4 in the second hour.
    await seedReadings(database.db, 'stable-1', '2026-01-01T00:00:00Z', 3600, { multiplier: 7919 });
    await seedReadings(database.db, 'stable-1', '2026-01-01T01:00:00Z', 3600, { multiplier: 7907 });
    await seedReadings(database.db, 'shifted-1', '2026-01-01T00:00:00Z', 3600);
    await seedReadings(database.db, 'shifted-1', '2026-01-01T01:00:00Z', 3600, { shift: 0.4 });
    await database.db.query(`update event_deliveries set status = 'done'`);
  });
  after(async () => {
    await database.drop();
  });

  it('finds drift: exit 1 with --fail-on-drift, stores the run, publishes drift.detected, writes the report', async () => {
    await database.db.query(
      `insert into event_groups (consumer_group, event_type) values ('watcher', 'drift.detected') on conflict do nothing`,
    );
    const report = path.join(dir, 'report.html');
    const r = await runCli(
      [
        'drift',
        '--sensor',
        'shifted-1',
        '--sensor',
        'stable-1',
        reference,
        current,
        '--method',
        'ks',
        '--fail-on-drift',
        '--emit',
        '--report',
        report,
        '--json',
      ],
      { env },
    );
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(out.datasetDrift, true);
    assert.equal(out.subject, 'sensors:shifted-1,stable-1');
    assert.deepEqual(
      out.report.columns.map((c: any) => [c.column, c.test, c.drifted]),
      [
        ['shifted-1', 'ks', true],
        ['stable-1', 'ks', false],
      ],
    );
    assert.equal(out.reference.rows, 3600);
    assert.equal(out.current.sampled, false);

    const checks = await database.db.query<{
      id: number;
      subject: string;
      drifted: boolean;
      share_drifted: number;
      report: any;
    }>('select * from drift_checks where id = $1', [out.driftCheckId]);
    assert.equal(checks.rows[0]!.drifted, true);
    assert.equal(checks.rows[0]!.share_drifted, 0.5);
    assert.equal(checks.rows[0]!.report.columns.length, 2);

    const events = await database.db.query<{ event_id: string; type: string; payload: any }>(
      `select event_id::text, type, payload from events where event_id = $1`,
      [out.eventId],
    );
    const payload = events.rows[0]!.payload;
    assert.equal(events.rows[0]!.type, 'drift.detected');
    assert.equal(payload.event_type, 'DriftDetectedEvent');
    assert.equal(payload.sensor_id, 'shifted-1');
    assert.deepEqual(payload.sensor_ids, ['shifted-1']);
    assert.equal(payload.score_kind, 'p-value');
    assert.ok(payload.drift_score < 0.05);
    assert.equal(payload.threshold, 0.05);
    assert.equal(payload.drift_check_id, out.driftCheckId);
    assert.match(payload.correlation_id, /^[0-9a-f-]{36}$/);
    const deliveries = await database.db.query(
      `select 1 from event_deliveries where event_id = $1 and consumer_group = 'watcher'`,
      [out.eventId],
    );
    assert.equal(deliveries.rowCount, 1, 'the outbox fanned the event out to the subscribed group');
    const forRetrain = await database.db.query(
      `select 1 from event_deliveries where event_id = $1 and consumer_group = 'retrain'`,
      [out.eventId],
    );
    assert.equal(forRetrain.rowCount, 1, 'the retrain group gets it even though no watcher ever started');

    const html = readFileSync(report, 'utf8');
    assert.match(html, /^<!doctype html>/i);
    assert.match(html, /shifted-1/);
    assert.deepEqual(readdirTemps(dir), [], 'no temporary file is left beside the report');
  });

  it('no drift: exit 0, stored, no event; the table and the summary are printed', async () => {
    const before = await database.db.query('select count(*)::int as n from events');
    const r = await runCli(['drift', '--sensor', 'stable-1', reference, current, '--fail-on-drift', '--emit'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stable-1/);
    assert.match(r.stdout, /Dataset drift: no/);
    assert.match(r.stdout, /Stored as drift_checks #\d+/);
    const afterCount = await database.db.query('select count(*)::int as n from events');
    assert.deepEqual(afterCount.rows, before.rows);
  });

  it('--sample says that it sampled, and the verdict still holds', async () => {
    const r = await runCli(
      ['drift', '--sensor', 'shifted-1', reference, current, '--sample', '1000', '--seed', '3', '--no-store'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1,000 sampled of 3,600 rows/);
    assert.match(r.stdout, /seeded reservoir sample of at most 1,000 values .*seed 3/);
    assert.match(r.stdout, /Dataset drift: YES/);
  });

  it('compares hourly aggregates with --hourly', async () => {
    const r = await runCli(
      [
        'drift',
        '--sensor',
        'stable-1',
        '--reference=2026-01-01..2026-01-01T01:00Z',
        '--current=2026-01-01T01:00Z..2026-01-02',
        '--hourly',
        '--min-samples',
        '1',
        '--method',
        'wasserstein',
        '--json',
        '--no-store',
      ],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(out.subject, 'sensors:stable-1 (hourly avg)');
    assert.equal(out.reference.rows, 1);
  });

  it('an empty window is "not decided": exit 1 under --fail-on-drift, never a silent pass', async () => {
    const r = await runCli(
      ['drift', '--sensor', 'stable-1', '--reference=2025-01-01..2025-01-02', current, '--fail-on-drift'],
      { env },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /not decided/);
  });

  it('CSV files need no database with --no-store', async () => {
    const ref = path.join(dir, 'ref.csv');
    const cur = path.join(dir, 'cur.csv');
    writeFileSync(
      ref,
      'x,kind\n' + Array.from({ length: 50 }, (_, i) => `${i % 10},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n',
    );
    writeFileSync(cur, 'x,kind\n' + Array.from({ length: 50 }, (_, i) => `${(i % 10) + 6},a`).join('\n') + '\n');
    const r = await runCli(['drift', ref, cur, '--no-store', '--fail-on-drift', '--json'], {
      env: { ...env, SMX_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(out.driftCheckId, null);
    assert.deepEqual(
      out.report.columns.map((c: any) => [c.column, c.test, c.drifted]),
      [
        ['x', 'ks', true],
        ['kind', 'chisquare', true],
      ],
    );
  });

  for (const [title, args] of [
    ['files and sensors together', ['drift', 'a.csv', 'b.csv', '--sensor', 'x']],
    ['neither files nor sensors', ['drift']],
    ['a bad window', ['drift', '--sensor', 'x', '--current', 'yesterday']],
    ['an unknown test', ['drift', '--sensor', 'x', '--method', 'magic']],
    ['a threshold without a test', ['drift', '--sensor', 'x', '--threshold', '0.1']],
    [
      'a per-column threshold for a column that is not compared',
      ['drift', '--sensor', 'shifted-1', reference, current, '--column-threshold', 'shifted-9=0.5', '--no-store'],
    ],
  ] as const) {
    it(`usage error (exit 2): ${title}`, async () => {
      const r = await runCli([...args], { env });
      assert.equal(r.code, 2, r.stderr + r.stdout);
    });
  }

  it(
    'publishes to Redis Streams when Redis is configured',
    { skip: haveRedis ? false : `SKIPPED: no Redis at ${testRedisUrl}` },
    async () => {
      const prefix = testPrefix();
      const redis = new Redis(testRedisUrl);
      try {
        const r = await runCli(['drift', '--sensor', 'shifted-1', reference, current, '--emit', '--json'], {
          env: { ...env, SMX_REDIS_URL: testRedisUrl, SMX_REDIS_PREFIX: prefix },
        });
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as Record<string, any>;
        const entries = await redis.xrange(`${prefix}events`, '-', '+');
        assert.equal(entries.length, 1);
        const fields = entries[0]![1];
        assert.equal(fields[fields.indexOf('id') + 1], out.eventId);
        assert.equal(fields[fields.indexOf('type') + 1], 'drift.detected');
      } finally {
        redis.disconnect();
        await deleteKeys(prefix);
      }
    },
  );
});

function readdirTemps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.tmp-'));
}

/**
 * `smx drift baseline set|list|show|delete`, the reference forms (a baseline
 * with --season, seasonal:Nd, a model's training window) with --at, and
 * `smx drift timeline` storing its chunks, all as subprocesses against a real
 * database. The readings: two sensors, one a minute for 15 days, a daily
 * cycle (the hour before is a bad reference) and from 2024-01-15 a shift of +3 in s-b.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const start = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

describe('smx drift references and timeline', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const dir = tempDir('smx-drift-refs-');
  before(async () => {
    database = await createTestDatabase();
    env = {
      SMX_DATABASE_URL: database.url,
      SMX_REDIS_URL: '',
      SMX_STATE_DIR: path.join(dir, 'state'),
      SMX_MODELS_DIR: path.join(dir, 'models'),
    };
    await database.db.query('select smx_ensure_partitions($1, $2)', [new Date(start), new Date(start + 15 * DAY)]);
    // value = daily cycle (amplitude 10) + a deterministic wiggle; s-b +3 from day 14.
    await database.db.query(
      `insert into sensor_readings (sensor_id, ts, value)
       select s, $1::timestamptz + i * interval '1 minute',
              10 * cos(2 * pi() * (i % 1440) / 1440.0) + ((i * 7919 + length(s) * 13) % 1000) / 1000.0
              + case when s = 's-b' and i >= 14 * 1440 then 3 else 0 end
       from generate_series(0, 15 * 1440 - 1) as i, unnest(array['s-a', 's-b']) as s`,
      [new Date(start)],
    );
    await database.db.query(`insert into sensors (sensor_id, sensor_type) values ('s-a', 'demo'), ('s-b', 'demo')`);
  });
  after(async () => database.drop());
  const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

  it('baseline set, list, show and delete; a second set needs --replace', async () => {
    const set = await runCli(
      [
        'drift',
        'baseline',
        'set',
        'normal-jan',
        '--sensor-type',
        'demo',
        '--window',
        '2024-01-01..2024-01-08',
        '--note',
        'first week',
        '--json',
      ],
      { env },
    );
    assert.equal(set.code, 0, set.stderr);
    const b = json(set.stdout).baseline;
    assert.deepEqual(
      [b.name, b.sensorIds, b.window.from, b.note],
      ['normal-jan', ['s-a', 's-b'], '2024-01-01T00:00:00.000Z', 'first week'],
    );
    assert.deepEqual(b.rowCounts, { 's-a': 7 * 1440, 's-b': 7 * 1440 });
    const again = await runCli(
      ['drift', 'baseline', 'set', 'normal-jan', '--sensor', 's-a', '--window', '2024-01-02..2024-01-03'],
      { env },
    );
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists.*--replace/s);
    const list = await runCli(['drift', 'baseline', 'list'], { env });
    assert.match(list.stdout, /normal-jan.*2024-01-01T00:00:00.000Z\.\.2024-01-08T00:00:00.000Z.*first week/);
    await runCli(['drift', 'baseline', 'set', 'tmp', '--sensor', 's-a', '--window', '2024-01-02..2024-01-03'], { env });
    assert.equal((await runCli(['drift', 'baseline', 'delete', 'tmp'], { env })).code, 0);
    const gone = await runCli(['drift', 'baseline', 'show', 'tmp'], { env });
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No drift baseline named "tmp"/);
  });

  it('--at with the hour before flags the daily cycle; a baseline with --season hour-of-day does not', async () => {
    const at = '2024-01-10T06:00:00Z';
    const naive = await runCli(
      ['drift', '--sensor', 's-a', '--current', 'last:1h', '--at', at, '--no-store', '--json'],
      { env },
    );
    const n = json(naive.stdout);
    assert.equal(n.current.label, 'last:1h (2024-01-10T05:00:00.000Z..2024-01-10T06:00:00.000Z)');
    assert.equal(n.datasetDrift, true, 'the cycle itself, an hour later');
    const pinned = await runCli(
      [
        'drift',
        '--current',
        'last:1h',
        '--at',
        at,
        '--reference',
        'baseline:normal-jan',
        '--season',
        'hour-of-day',
        '--no-store',
        '--json',
        '--fail-on-drift',
      ],
      { env },
    );
    assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
    const p = json(pinned.stdout);
    assert.equal(p.subject, 'baseline:normal-jan');
    assert.match(
      p.reference.label,
      /^baseline:normal-jan, hour-of-day \(7 windows from 2024-01-01T05:00:00\.000Z to 2024-01-07T06:00:00\.000Z\)/,
    );
    assert.equal(p.reference.rows, 7 * 60);
    assert.equal(p.datasetDrift, false);
    assert.equal(p.qualityAlarm, false);
  });

  it('seasonal:7d at the drift: s-b drifted, s-a not', async () => {
    const r = await runCli(
      [
        'drift',
        '--sensor',
        's-a',
        's-b',
        '--current',
        'last:1h',
        '--at',
        '2024-01-15T10:00Z',
        '--reference',
        'seasonal:7d',
        '--json',
      ],
      { env },
    );
    const out = json(r.stdout);
    assert.match(out.reference.label, /^seasonal:7d \(7 windows/);
    assert.deepEqual(
      out.report.columns.map((c: any) => [c.column, c.drifted]),
      [
        ['s-a', false],
        ['s-b', true],
      ],
    );
    assert.ok(out.driftCheckId > 0, 'stored');
    const row = await database.db.query<{ window_from: Date }>('select window_from from drift_checks where id = $1', [
      out.driftCheckId,
    ]);
    assert.equal(row.rows[0]!.window_from.toISOString(), '2024-01-15T09:00:00.000Z');
  });

  it("model:NAME uses a registered version's training window; a version without one is a usage error", async () => {
    const models = path.join(dir, 'models');
    mkdirSync(path.join(models, 'pump', '2'), { recursive: true });
    const version = (v: number, tags: Record<string, string>) => ({
      version: v,
      createdAt: '2024-01-09T00:00:00Z',
      modelKind: 'isolation-forest',
      tags,
      description: '',
      primary: { name: 'alarm_share', value: 0.01, higherIsBetter: false },
      runKey: 'k',
      smxVersion: '0',
      artifacts: [],
    });
    writeFileSync(
      path.join(models, 'registry.json'),
      JSON.stringify({
        formatVersion: 1,
        models: {
          pump: {
            aliases: { champion: 2 },
            versions: [version(1, {}), version(2, { trainedOn: '2024-01-01T00:00:00.000Z..2024-01-08T00:00:00.000Z' })],
          },
        },
      }),
    );
    for (const f of ['feature_names.txt', 'params.json', 'metrics.json'])
      writeFileSync(path.join(models, 'pump', '2', f), f.endsWith('.txt') ? 'x\n' : '{}');
    mkdirSync(path.join(models, 'pump', '1'), { recursive: true });
    for (const f of ['feature_names.txt', 'params.json', 'metrics.json'])
      writeFileSync(path.join(models, 'pump', '1', f), f.endsWith('.txt') ? 'x\n' : '{}');
    const r = await runCli(
      [
        'drift',
        '--sensor',
        's-a',
        '--current',
        'last:1h',
        '--at',
        '2024-01-10T06:00Z',
        '--reference',
        'model:pump@champion',
        '--season',
        'hour-of-day',
        '--no-store',
        '--json',
      ],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(json(r.stdout).reference.label, /^model:pump@2, hour-of-day \(7 windows/);
    const bad = await runCli(
      ['drift', '--sensor', 's-a', '--current', 'last:1h', '--at', '2024-01-10T06:00Z', '--reference', 'model:pump@1'],
      { env },
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /pump@1 records no training window/);
  });

  it('smx drift timeline: one pass over the period, every chunk stored in drift_checks, --json and --report', async () => {
    const report = path.join(dir, 'timeline.html');
    const r = await runCli(
      [
        'drift',
        'timeline',
        '--sensor',
        's-a',
        's-b',
        '--from',
        '2024-01-15T00:00Z',
        '--to',
        '2024-01-16T00:00Z',
        '--chunk',
        '1h',
        '--reference',
        'baseline:normal-jan',
        '--season',
        'hour-of-day',
        '--report',
        report,
        '--json',
      ],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.equal(out.chunks.length, 24);
    assert.equal(out.rowsRead, 7 * 1440 * 2 + 1440 * 2, 'the baseline once, then the day');
    assert.ok(out.chunks.every((c: any) => c.columns.find((x: any) => x.column === 's-b').drifted));
    assert.ok(out.chunks.every((c: any) => !c.columns.find((x: any) => x.column === 's-a').drifted));
    const stored = await database.db.query<{ n: number; kinds: string[] }>(
      `select count(*)::int as n, array_agg(distinct kind) as kinds from drift_checks where run_id = $1`,
      [out.runId],
    );
    assert.deepEqual([stored.rows[0]!.n, stored.rows[0]!.kinds], [24, ['timeline-chunk']]);
    assert.ok(existsSync(report));
    assert.match(readFileSync(report, 'utf8'), /Drift timeline: sensors:s-a,s-b/);
    const text = await runCli(
      [
        'drift',
        'timeline',
        '--sensor',
        's-a',
        '--from',
        '2024-01-14T00:00Z',
        '--to',
        '2024-01-14T03:00Z',
        '--reference',
        'seasonal:7d',
        '--no-store',
      ],
      { env },
    );
    assert.match(text.stdout, /2024-01-14T00:00:00.000Z  2024-01-14T01:00:00.000Z  ok/);
    assert.match(text.stdout, /3 chunks of 1h against seasonal:7d/);
  });

  it('a gap is a quality alarm: reported, and exit 1 only with --fail-on-quality', async () => {
    await database.db.query(
      `delete from sensor_readings where sensor_id = 's-a' and ts >= '2024-01-11T12:20Z' and ts < '2024-01-11T12:40Z'`,
    );
    const args = [
      'drift',
      '--sensor',
      's-a',
      '--current',
      'last:1h',
      '--at',
      '2024-01-11T13:00Z',
      '--reference',
      'baseline:normal-jan',
      '--season',
      'hour-of-day',
      '--no-store',
    ];
    const plain = await runCli([...args, '--fail-on-drift'], { env });
    assert.equal(plain.code, 0, plain.stdout);
    // At the bottom of the daily cycle the hour's values hardly move, so 20 minutes gone is no drift, but a gap.
    assert.match(plain.stdout, /Dataset drift: no/);
    assert.match(plain.stdout, /s-a gap: longest gap 21 min/);
    assert.equal((await runCli([...args, '--fail-on-quality'], { env })).code, 1);
  });
});

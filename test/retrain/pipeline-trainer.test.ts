/**
 * The real Trainer (pipeline runner + registry) against real PostgreSQL, a
 * temp models folder and a temp stage cache: a promotion when the challenger
 * is better by the margin, a rejection when it is not, the unlabelled
 * detector that is never promoted on alarm_share, and `smx retrain MODEL`
 * through the CLI with its retrain_runs row and webhook call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { trainPipeline } from '../../src/train/train-pipeline.js';
import { loadPipeline } from '../../src/pipeline/load-pipeline.js';
import { packageRoot } from '../../src/package-root.js';
import { readRegistry } from '../../src/registry/registry-index.js';
import { createPipelineTrainer } from '../../src/retrain/pipeline-trainer.js';
import {
  defaultRetrainSettings,
  retrainModel,
  type RetrainDeps,
  type RetrainSettings,
} from '../../src/retrain/run-retrain.js';
import { Random } from '../../src/random.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';
import { startReceiver } from './http-receiver.js';

const day = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const end = new Date(t0 + 30 * day);
/** 10-day window ending on day 30: train on days 20–27, hold out days 27–30. */
const settings: RetrainSettings = { ...defaultRetrainSettings, trainingWindowMs: 10 * day, heldOutShare: 0.3 };

/** A labelled pipeline over the fixture table, windowed by ts. */
function fixturePipeline(dir: string, name: string, label: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
description: retrain fixture (${label})
watches: { sensors: [line-1] }
source:
  kind: sql
  query: >
    select 'line-1' as sensor_id, ts, x, z, ${label} as label from retrain_fixture
    where ts >= \${SMX_WINDOW_FROM} and ts < \${SMX_WINDOW_TO} order by ts
  groupColumn: sensor_id
  timeColumn: ts
  minRows: 20
target: { column: label }
features: [{ kind: tabular, numeric: [x, z] }]
split: { kind: stratified, testSize: 0.25, seed: 1 }
model: { kind: random-forest-classifier, params: { nEstimators: 15, seed: 0 } }
evaluation: { kind: classification }
registration: { name: ${name}, domain: tabular }
`,
  );
  return file;
}

describe('PipelineTrainer (registry + pipelines + PostgreSQL)', () => {
  let database: TestDatabase;
  const dir = tempDir('smx-retrain-pipeline-');
  const modelsDir = path.join(dir, 'models');
  const stateDir = path.join(dir, 'state');
  let deps: RetrainDeps;

  /** Champion v1: trained on days 0–15 only (the window bound as SMX_WINDOW_*). */
  const trainChampion = (
    file: string,
    env: NodeJS.ProcessEnv = {
      SMX_WINDOW_FROM: new Date(t0).toISOString(),
      SMX_WINDOW_TO: new Date(t0 + 15 * day).toISOString(),
    },
  ) => trainPipeline(loadPipeline(file), { cwd: dir, env, stateDir, modelsDir, database: async () => database.db });

  before(async () => {
    database = await createTestDatabase();
    // Hourly rows: x decides the label. label_drift's threshold moves from 0.3 to 0.7 on day 15; label_stable's stays at 0.5.
    await database.db.query(
      'create table retrain_fixture (ts timestamptz primary key, x float8, z float8, label_drift int, label_stable int)',
    );
    const random = new Random(7);
    const rows: string[] = [];
    for (let h = 0; h < 30 * 24; h++) {
      const x = random.nextFloat();
      const z = random.nextFloat();
      rows.push(
        `('${new Date(t0 + h * 3_600_000).toISOString()}', ${x}, ${z}, ${x > (h < 15 * 24 ? 0.3 : 0.7) ? 1 : 0}, ${x > 0.5 ? 1 : 0})`,
      );
    }
    await database.db.query(`insert into retrain_fixture values ${rows.join(',')}`);
    const trainer = createPipelineTrainer({
      modelsDir,
      stateDir,
      cwd: dir,
      env: {},
      database: async () => database.db,
    });
    deps = { db: database.db, trainer, now: () => end.getTime() };
  });
  after(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const runRow = async (id: number | null) =>
    (await database.db.query<Record<string, any>>('select * from retrain_runs where id = $1', [id])).rows[0]!;

  it('promotes a challenger trained on the fresh window that beats the champion on the held-out days', async () => {
    await trainChampion(fixturePipeline(dir, 'fixture-drift', 'label_drift'));
    assert.deepEqual(await deps.trainer.targets(), [{ model: 'fixture-drift', sensors: ['line-1'] }]);
    const outcome = await retrainModel(deps, settings, 'fixture-drift', { kind: 'manual' });
    assert.equal(outcome.status, 'promoted', outcome.reason);
    assert.deepEqual([outcome.championVersion, outcome.challengerVersion], ['1', '2']);
    assert.equal(outcome.challengerMetrics!.primary.name, 'macro_f1');
    assert.equal(outcome.challengerMetrics!.values.rows, 72); // days 27–30, the same rows for both
    assert.equal(outcome.championMetrics!.values.rows, 72);
    assert.ok(outcome.challengerMetrics!.primary.value > outcome.championMetrics!.primary.value + 0.1);
    const index = await readRegistry(modelsDir);
    assert.equal(index.models['fixture-drift']!.aliases.champion, 2);
    const v2 = index.models['fixture-drift']!.versions[1]!;
    assert.equal(v2.tags.trainedOn, '2026-01-21T00:00:00.000Z..2026-01-28T00:00:00.000Z');
    assert.equal(v2.tags.watches, '{"sensors":["line-1"]}');
    assert.match(readFileSync(path.join(modelsDir, 'MANIFEST.sha256'), 'utf8'), /fixture-drift\/2\/model\.json/);
    const row = await runRow(outcome.runId);
    assert.equal(row.status, 'promoted');
    assert.match(row.reason, /^macro_f1: challenger .* better by .* >= margin 0.01$/);
  });

  it('rejects a challenger that is not better by the margin: the champion stays, the reason is recorded', async () => {
    await trainChampion(fixturePipeline(dir, 'fixture-stable', 'label_stable'));
    const outcome = await retrainModel(deps, settings, 'fixture-stable', { kind: 'cron' });
    assert.equal(outcome.status, 'rejected', outcome.reason);
    assert.equal(outcome.challengerVersion, '2');
    const index = await readRegistry(modelsDir);
    assert.equal(index.models['fixture-stable']!.aliases.champion, 1);
    assert.equal(index.models['fixture-stable']!.versions.length, 2); // the challenger is kept for the record
    const row = await runRow(outcome.runId);
    assert.equal(row.status, 'rejected');
    assert.match(
      row.reason,
      /macro_f1: challenger .* vs champion .*; improvement .* is below the margin 0.01; keeping the champion/,
    );
    assert.equal(row.challenger_metrics.primary.name, 'macro_f1');
  });

  it('a pipeline without a data window is refused (training and held-out rows would overlap), recorded as failed', async () => {
    const file = fixturePipeline(dir, 'fixture-nowindow', 'label_stable');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/where .* order by ts/, 'order by ts'));
    await trainChampion(file, {});
    const outcome = await retrainModel(deps, settings, 'fixture-nowindow', { kind: 'manual' });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.reason, /SQL query without a data window/);
    assert.equal((await readRegistry(modelsDir)).models['fixture-nowindow']!.versions.length, 1);
  });

  it('smx retrain MODEL through the CLI: the shipped sensor-hourly pipeline is kept on unlabelled data, with a run row and a webhook call', async () => {
    // Three sensors, readings every 15 minutes for 10 days up to `end`.
    await database.db.query(`select smx_ensure_partitions($1::timestamptz, $2::timestamptz)`, [
      new Date(end.getTime() - 11 * day).toISOString(),
      end.toISOString(),
    ]);
    const start = end.getTime() - 10 * day;
    const values: string[] = [];
    for (let q = 0; q < 10 * 96; q++) {
      const ts = new Date(start + q * 900_000).toISOString();
      const daily = Math.sin((2 * Math.PI * q) / 96);
      values.push(
        `('temp-1', '${ts}', ${20 + 2 * daily})`,
        `('press-1', '${ts}', ${1000 + 5 * daily + (q > 800 ? 30 : 0)})`,
        `('vib-1', '${ts}', ${0.5 + 0.05 * daily})`,
      );
    }
    await database.db.query(`insert into sensor_readings (sensor_id, ts, value) values ${values.join(',')}`);
    await trainChampion(path.join(packageRoot, 'pipelines', 'sensor-hourly-if.yaml'), {});
    assert.ok((await deps.trainer.targets()).some((t) => t.model === 'sensor-hourly-anomaly' && t.allSensors));
    const receiver = await startReceiver();
    try {
      const result = await runCli(
        [
          'retrain',
          'sensor-hourly-anomaly',
          '--force',
          '--until',
          end.toISOString(),
          '--window',
          '10d',
          '--models-dir',
          modelsDir,
          '--json',
        ],
        {
          env: { SMX_DATABASE_URL: database.url, SMX_STATE_DIR: stateDir, SMX_WEBHOOK_URL: receiver.url },
          cwd: dir,
        },
      );
      assert.equal(result.code, 0, result.stderr);
      const [outcome] = (JSON.parse(result.stdout) as { outcomes: Array<Record<string, any>> }).outcomes;
      assert.equal(outcome!.status, 'rejected');
      assert.match(
        outcome!.reason,
        /^alarm_share: challenger .* vs champion .*, but the held-out window has no labels.*keeping the champion/,
      );
      const row = await runRow(outcome!.runId);
      assert.deepEqual(
        [row.status, row.trigger, row.champion_version, row.challenger_version],
        ['rejected', 'manual', '1', '2'],
      );
      assert.equal(row.data_window.to, end.toISOString());
      assert.equal(receiver.bodies.length, 1);
      const body = receiver.bodies[0] as { text: string; smx: Record<string, unknown> };
      assert.match(body.text, /sensor-hourly-anomaly/);
      assert.equal(body.smx.status, 'rejected');
      assert.equal((await readRegistry(modelsDir)).models['sensor-hourly-anomaly']!.aliases.champion, 1);
    } finally {
      receiver.server.closeAllConnections();
      receiver.server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/database.js';
import { writeSyntheticPipeline } from './synthetic-pipeline.js';

const dir = tempDir('smx-train-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { SMX_STATE_DIR: path.join(dir, 'state'), SMX_MODELS_DIR: path.join(dir, 'models') };
const { pipeline } = writeSyntheticPipeline(dir);
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

describe('smx train, models and predict (CLI)', () => {
  it('trains, registers version 1 as champion and writes the metrics table', async () => {
    const r = await runCli(['train', pipeline], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /macro_f1/);
    assert.match(r.stdout, /Registered synthetic-failure@1 \(champion\)/);
    assert.match(r.stdout, /confusion matrix \(test rows\):\n.+\n│ actual \\ predicted │ 0 +│ 1 +│/);
    const card = readFileSync(path.join(dir, 'models', 'synthetic-failure', '1', 'MODEL_CARD.md'), 'utf8');
    const metrics = json(readFileSync(path.join(dir, 'models', 'synthetic-failure', '1', 'metrics.json'), 'utf8'));
    const [[tn, fp], [fn, tp]] = metrics.detail.confusion.matrix as [[number, number], [number, number]];
    assert.ok(
      card.includes(
        `| actual \\ predicted | 0 | 1 |\n| --- | --- | --- |\n| 0 | ${tn} | ${fp} |\n| 1 | ${fn} | ${tp} |`,
      ),
      card,
    );
  });

  it('a second run without changes is a cache hit and registers nothing', async () => {
    const r = await runCli(['train', pipeline, '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.equal(out.upToDate, true);
    assert.equal(out.cacheHit, true);
    assert.equal(out.registered.version, 1);
    assert.deepEqual(
      out.stages.map((s: { status: string }) => s.status),
      ['not needed', 'not needed', 'not needed', 'cached', 'cached'],
    );
  });

  it('a changed param re-runs the model only and registers version 2 (not champion)', async () => {
    const r = await runCli(['train', pipeline, '--param', 'model.params.nEstimators=5', '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.deepEqual(
      out.stages.map((s: { status: string }) => s.status),
      ['not needed', 'cached', 'cached', 'ran', 'ran'],
    );
    assert.deepEqual([out.registered.version, out.registered.champion], [2, false]);
    const frozen = readFileSync(path.join(dir, 'models', 'synthetic-failure', '2', 'pipeline.yaml'), 'utf8');
    assert.match(frozen, /nEstimators: 5/);
  });

  it('lists, shows, compares, promotes and recommends', async () => {
    const listRun = await runCli(['models', 'list', '--json'], { cwd: dir, env });
    assert.equal(listRun.code, 0, listRun.stderr);
    const list = json(listRun.stdout);
    assert.deepEqual(
      list.models.map((m: { version: number }) => m.version),
      [1, 2],
    );
    const show = await runCli(['models', 'show', 'synthetic-failure@2'], { cwd: dir, env });
    assert.match(show.stdout, /synthetic-failure@2/);
    assert.match(show.stdout, /confusion matrix \(test rows\)/);
    const compare = json(
      (await runCli(['models', 'compare', 'synthetic-failure', '1', '2', '--json'], { cwd: dir, env })).stdout,
    );
    assert.ok(compare.rows.some((r: { metric: string }) => r.metric === 'macro_f1'));
    const promote = await runCli(['models', 'promote', 'synthetic-failure', '2'], { cwd: dir, env });
    assert.match(promote.stdout, /now the champion \(was @1\)/);
    const rec = json(
      (await runCli(['models', 'recommend', '--domain', 'tabular', '--json'], { cwd: dir, env })).stdout,
    );
    assert.equal(rec.recommended.version, 2);
    const missing = await runCli(['models', 'show', 'synthetic-failure@7'], { cwd: dir, env });
    assert.equal(missing.code, 2);
  });

  it('predict streams predictions for a CSV with exactly the feature columns', async () => {
    const input = path.join(dir, 'input.csv');
    writeFileSync(input, 'speed,torque,Type\n1300,58,L\n2500,21,H\n');
    const out = path.join(dir, 'pred.csv');
    const r = await runCli(['predict', 'synthetic-failure@1', input, '--output', out, '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json(r.stdout).rows, 2);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'prediction,probability');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^1,/);
    assert.match(lines[2]!, /^0,/);
    const stdin = await runCli(['predict', 'synthetic-failure@1', '-'], {
      cwd: dir,
      env,
      input: 'Type,torque,speed\nM,30,2000\n',
    });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stdout, /^prediction,probability\n0,/);
  });

  it('predict rejects a missing or an extra column with a clear message (exit 3)', async () => {
    const missing = await runCli(['predict', 'synthetic-failure', '-'], {
      cwd: dir,
      env,
      input: 'torque,speed\n30,2000\n',
    });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /missing column "Type"/);
    const extra = await runCli(['predict', 'synthetic-failure', '-'], {
      cwd: dir,
      env,
      input: 'Type,torque,speed,failure\nM,30,2000,0\n',
    });
    assert.equal(extra.code, 3);
    assert.match(extra.stderr, /extra column "failure"/);
    const badValue = await runCli(['predict', 'synthetic-failure', '-'], {
      cwd: dir,
      env,
      input: 'Type,torque,speed\nX,30,2000\n',
    });
    assert.equal(badValue.code, 3);
    assert.match(badValue.stderr, /Line 2 of stdin, column "Type": "X" is not one of L, M, H/);
    assert.match(badValue.stderr, /fix or remove line 2/);
  });

  it('a rejected input writes no output header; an empty or non-numeric file is named (exit 3)', async () => {
    const missing = await runCli(['predict', 'synthetic-failure', '-'], {
      cwd: dir,
      env,
      input: 'torque,speed\n30,2000\n',
    });
    assert.equal(missing.stdout, '');
    writeFileSync(path.join(dir, 'empty.csv'), '');
    const empty = await runCli(['predict', 'synthetic-failure', 'empty.csv'], { cwd: dir, env });
    assert.equal(empty.code, 3);
    assert.equal(empty.stdout, '');
    assert.match(empty.stderr, /The input \(empty\.csv\) is empty/);
    assert.match(empty.stderr, /header naming these 3 columns/);
    writeFileSync(path.join(dir, 'bad.csv'), 'Type,torque,speed\nM,30,2000\nL,fast,2000\n');
    const bad = await runCli(['predict', 'synthetic-failure', 'bad.csv'], { cwd: dir, env });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /Line 3 of bad\.csv, column "torque": "fast" is not a number/);
    const target = path.join(dir, 'bad-predictions.csv');
    const toFile = await runCli(['predict', 'synthetic-failure', 'bad.csv', '--output', target], { cwd: dir, env });
    assert.equal(toFile.code, 3, toFile.stderr);
    assert.match(toFile.stderr, /Line 3 of bad\.csv/);
    assert.ok(!existsSync(target), 'no predictions file');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('bad-predictions')),
      [],
      'no temporary file left',
    );
  });

  it('a missing data file is an error naming the path (exit 2)', async () => {
    const r = await runCli(['train', pipeline], {
      cwd: dir,
      env: { ...env, SMX_TEST_DATA_DIR: path.join(dir, 'nowhere') },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nowhere\/machines\.csv not found/);
  });

  it('an invalid pipeline is rejected with file:line (exit 2)', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(pipeline, 'utf8').replace('numeric: [torque, speed]', 'numeric: [torque, speed, mode_flag]'),
    );
    const r = await runCli(['train', bad], { cwd: dir, env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /bad\.yaml:12:\d+ +features\.0\.numeric\.2: column "mode_flag" is declared in target\.leakage/,
    );
  });
});

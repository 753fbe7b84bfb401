import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli, smxBin } from '../helpers/cli.js';

/** Issue 16, items 9, 10 and 11, through the CLI: headers, reused keys and what ingest_batches says. */
describe('smx ingest: headers, reused keys and bookkeeping', () => {
  let t: TestDatabase;
  let dir: string;
  const children = new Set<ChildProcess>();
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-bookkeeping-');
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await t?.drop();
  });
  const env = () => ({ SMX_DATABASE_URL: t.url, SMX_LOG_LEVEL: 'error' });
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const readings = (sensor: string, n: number, from = 0) =>
    Array.from(
      { length: n },
      (_, i) => `${sensor},${new Date(Date.UTC(2024, 0, 1) + (from + i) * 60_000).toISOString()},${i}\n`,
    ).join('');
  const batch = async (key: string) =>
    (
      await t.db.query<{
        status: string;
        rows_read: number;
        rows_inserted: number;
        duplicates: number;
        rejected: number;
      }>(
        'select status, rows_read, rows_inserted, duplicates, rejected from ingest_batches where idempotency_key = $1',
        [key],
      )
    ).rows[0];

  it('wide files: a repeated or empty header cell is a header error naming the columns (exit 3)', async () => {
    const wide = file('wide.csv', 'Time,Machine,temp,temp,,vib\n2024-01-01T00:00:00Z,m1,1,2,3,4\n');
    const r = await runCli(['ingest', wide, '--wide', '--time-column', 'Time', '--entity-column', 'Machine'], {
      env: env(),
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /wide\.csv:1: /);
    assert.match(r.stderr, /"temp" names columns 3 and 4/);
    assert.match(r.stderr, /column 5 has no name/);
    const { rows } = await t.db.query('select 1 from sensor_readings');
    assert.equal(rows.length, 0, 'nothing loaded');
  });

  it('a reused --idempotency-key with other content is refused (exit 2); the same content is a duplicate', async () => {
    const a = file('a.csv', 'sensor_id,timestamp,value\n' + readings('k1', 3));
    const b = file('b.csv', 'sensor_id,timestamp,value\n' + readings('k2', 3));
    const first = await runCli(['ingest', a, '--idempotency-key', 'day-1', '--json'], { env: env() });
    assert.equal(first.code, 0, first.stderr);
    const other = await runCli(['ingest', b, '--idempotency-key', 'day-1', '--json'], { env: env() });
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /Idempotency key "day-1" already loaded other content/);
    assert.equal(JSON.parse(other.stdout).error.code, 'CONFLICT');
    const same = await runCli(['ingest', a, '--idempotency-key', 'day-1', '--json'], { env: env() });
    assert.equal(same.code, 0, same.stderr);
    assert.equal(JSON.parse(same.stdout).status, 'duplicate');
    // From stdin too: other bytes under the key are refused, the same bytes are a duplicate.
    const stdinOther = await runCli(['ingest', '-', '--idempotency-key', 'day-1'], {
      env: env(),
      input: 'sensor_id,timestamp,value\n' + readings('k3', 2),
    });
    assert.equal(stdinOther.code, 2, stdinOther.stderr);
    const stdinFirst = await runCli(['ingest', '-', '--idempotency-key', 'pipe-1', '--json'], {
      env: env(),
      input: 'sensor_id,timestamp,value\n' + readings('k4', 2),
    });
    assert.equal(stdinFirst.code, 0, stdinFirst.stderr);
    const stdinSame = await runCli(['ingest', '-', '--idempotency-key', 'pipe-1', '--json'], {
      env: env(),
      input: 'sensor_id,timestamp,value\n' + readings('k4', 2),
    });
    assert.equal(JSON.parse(stdinSame.stdout).status, 'duplicate');
    const { rows } = await t.db.query("select 1 from sensor_readings where sensor_id in ('k2', 'k3')");
    assert.equal(rows.length, 0);
  });

  it('a --max-rejects stop reports the status ingest_batches records; the resumed key keeps its counts consistent', async () => {
    const lines =
      'sensor_id,timestamp,value\n' + readings('m1', 50) + 'm1,2024-02-01T00:00:00Z,oops\n' + readings('m1', 50, 50);
    const bad = file('stop.csv', lines);
    const stop = await runCli(
      ['ingest', bad, '--idempotency-key', 'stop-1', '--max-rejects', '0', '--batch-size', '10', '--json'],
      { env: env() },
    );
    assert.equal(stop.code, 3, stop.stderr);
    const reported = JSON.parse(stop.stdout).error.summary as { status: string; inserted: number };
    const recorded = (await batch('stop-1'))!;
    assert.equal(reported.status, recorded.status);
    assert.equal(recorded.status, 'failed');
    assert.ok(recorded.rows_inserted > 0);
    // The corrected file, same key: the load completes, and rows_inserted + duplicates + rejected = rows_read.
    const fixed = file('stop-fixed.csv', lines.replace('oops', '7'));
    const done = await runCli(['ingest', fixed, '--idempotency-key', 'stop-1', '--batch-size', '10', '--json'], {
      env: env(),
    });
    assert.equal(done.code, 0, done.stderr);
    const after = (await batch('stop-1'))!;
    assert.equal(after.status, 'committed');
    assert.equal(after.rows_read, 101);
    assert.equal(after.rows_inserted, 101);
    assert.ok(after.rows_inserted + after.duplicates + after.rejected <= after.rows_read);
    const summary = JSON.parse(done.stdout) as { inserted: number; duplicates: number; earlierInserted: number };
    assert.equal(summary.inserted + summary.earlierInserted, 101);
    assert.equal(summary.duplicates, 0);
  });

  it('a killed stdin ingest does not leave its provisional batch running; a live one is left alone', async () => {
    const start = () => {
      const child = spawn(process.execPath, [smxBin, 'ingest', '-', '--batch-size', '5'], {
        env: { ...process.env, ...env() },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      children.add(child);
      child.stdin.write('sensor_id,timestamp,value\n' + readings('pv', 20));
      return child;
    };
    const running = async () =>
      (
        await t.db.query<{ batch_id: number }>(
          "select batch_id from ingest_batches where status = 'running' and idempotency_key like 'provisional:%' order by batch_id",
        )
      ).rows.map((r) => r.batch_id);
    const waitFor = async (n: number) => {
      let ids: number[] = [];
      for (let i = 0; i < 400 && ids.length < n; i++) {
        await new Promise((r) => setTimeout(r, 25));
        ids = await running();
      }
      return ids;
    };
    const killed = start();
    assert.equal((await waitFor(1)).length, 1, 'the stdin run holds a provisional batch');
    const live = start();
    const both = await waitFor(2);
    assert.equal(both.length, 2, 'a second stdin run, still reading');
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));
    const ids = both.slice(0, 1);
    const next = await runCli(['ingest', file('next.csv', 'sensor_id,timestamp,value\n' + readings('nx', 2))], {
      env: env(),
    });
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(await running(), [both[1]], 'the killed run is failed, the live one still runs');
    const { rows } = await t.db.query<{ status: string; summary: { error: string } }>(
      'select status, summary from ingest_batches where batch_id = $1',
      [ids[0]],
    );
    assert.equal(rows[0]!.status, 'failed');
    assert.match(rows[0]!.summary.error, /abandoned/);
    live.stdin.end();
    await new Promise((r) => live.once('exit', r));
  });

  it('Ctrl-C of an ingest says what was committed and how to finish (exit 130)', async () => {
    const big = file('big.csv', 'sensor_id,timestamp,value\n' + readings('cc', 200_000));
    const child = spawn(process.execPath, [smxBin, 'ingest', big, '--batch-size', '2000', '--workers', '1'], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const { rows } = await t.db.query<{ n: number }>(
        "select count(*)::int as n from sensor_readings where sensor_id = 'cc'",
      );
      if (rows[0]!.n > 0) break;
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 130, stderr);
    const { rows } = await t.db.query<{ batch_id: number; rows_inserted: number }>(
      "select batch_id, rows_inserted from ingest_batches where source like '%big.csv'",
    );
    const record = rows[0]!;
    assert.ok(record.rows_inserted > 0 && record.rows_inserted < 200_000, `${record.rows_inserted}`);
    assert.match(stderr, new RegExp(`batch ${record.batch_id} has ${record.rows_inserted} readings committed`));
    assert.match(stderr, /Run the same command again to finish/);
    assert.doesNotMatch(stderr, /nothing half-written was kept/);
  });
});

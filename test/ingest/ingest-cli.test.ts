import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli, smxBin } from '../helpers/cli.js';
import { generateReadings } from '../../src/generate/generate-readings.js';

describe('smx ingest (subprocess)', () => {
  let t: TestDatabase;
  let dir: string;
  let big: string;
  const rows = 20 * 7 * 1440; // 20 sensors, 7 days, one reading a minute
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-ingest-cli-');
    big = path.join(dir, 'big.csv');
    const out = createWriteStream(big);
    await generateReadings(out, {
      sensors: 20,
      days: 7,
      seed: 3,
      intervalMs: 60_000,
      startMs: Date.UTC(2024, 0, 1),
      anomalies: true,
    });
    out.end();
    await finished(out);
  });
  after(async () => {
    await t?.drop();
  });
  const env = () => ({ SMX_DATABASE_URL: t.url, SMX_LOG_LEVEL: 'error' });
  const totals = async () =>
    (
      await t.db.query<{ n: number; hourly: number; counted: number }>(
        `select (select count(*) from sensor_readings)::bigint as n,
            (select coalesce(sum(count), 0) from sensor_readings_hourly)::bigint as hourly,
            (select coalesce(sum(rows_inserted), 0) from ingest_batches)::bigint as counted`,
      )
    ).rows[0]!;

  it('killed with -9 in the middle, then run again: exactly the rows of one clean run', async () => {
    const args = [smxBin, 'ingest', big, '--batch-size', '10000', '--workers', '1', '--json'];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env() }, stdio: 'ignore' });
    let killedAfter = 0;
    for (let i = 0; i < 400 && killedAfter === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const { n } = await totals();
      if (n > 0) {
        child.kill('SIGKILL');
        killedAfter = n;
      }
    }
    await new Promise((r) => child.once('exit', r));
    assert.ok(killedAfter > 0 && killedAfter < rows, `killed after ${killedAfter} rows`);
    const again = await runCli(['ingest', big, '--json'], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as {
      inserted: number;
      duplicates: number;
      earlierInserted: number;
      status: string;
    };
    assert.equal(summary.status, 'committed');
    // The killed run's rows are the resumed key's own (earlierInserted), not duplicates.
    assert.ok(summary.earlierInserted > 0);
    assert.equal(summary.duplicates, 0);
    assert.equal(summary.inserted + summary.earlierInserted, rows);
    assert.deepEqual(await totals(), { n: rows, hourly: rows, counted: rows });
    const third = await runCli(['ingest', big, '--json'], { env: env() });
    assert.equal((JSON.parse(third.stdout) as { status: string }).status, 'duplicate');
  });

  it('exit 3 past --max-rejects, with the summary in the JSON error', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'sensor_id,timestamp,value\nx,2024-01-01T00:00:00Z,NaN\nx,2024-01-01T00:01:00Z,oops\n');
    const result = await runCli(['ingest', bad, '--max-rejects', '1', '--json'], { env: env() });
    assert.equal(result.code, 3, result.stderr);
    const body = JSON.parse(result.stdout) as { error: { code: string; summary: { rejected: number } } };
    assert.equal(body.error.code, 'TOO_MANY_REJECTS');
    assert.equal(body.error.summary.rejected, 2);
  });

  it('a header without the needed columns is exit 3 with a hint; a missing file is exit 2', async () => {
    const noHeader = path.join(dir, 'nh.csv');
    writeFileSync(noHeader, 'a,b,c\n1,2,3\n');
    const result = await runCli(['ingest', noHeader], { env: env() });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /--map/);
    assert.match(result.stderr, /nh\.csv:1: The header lacks sensor_id, timestamp, value/, 'says which file and line');
    assert.equal((await runCli(['ingest', path.join(dir, 'absent.csv')], { env: env() })).code, 2);
  });
});

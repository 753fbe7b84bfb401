import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runIncrementalExport } from '../../src/export/incremental-export.js';
import { writeReadings } from '../../src/ingest/write-readings.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { silentLogger } from '../../src/log.js';
import type { Reading } from '../../src/ingest/reading.js';

const minute = 60_000;
const readings = (sensor: string, fromMs: number, n: number): Reading[] =>
  Array.from({ length: n }, (_, i) => ({ sensorId: sensor, ts: fromMs + i * minute, value: i }));

/** Every (sensor, timestamp) in the folder's CSV files, with how often it occurs. */
function exported(dir: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.csv'))
    .sort()) {
    const [head, ...lines] = readFileSync(path.join(dir, name), 'utf8').trim().split('\n');
    assert.equal(head, 'sensor_id,sensor_type,value,unit,timestamp,quality');
    for (const line of lines) {
      const [sensor, , , , ts] = line.split(',');
      const key = `${sensor}@${ts}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return seen;
}

describe('incremental export (transaction snapshots)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ poolSize: 8 });
  });
  after(async () => {
    await t?.drop();
  });

  it('exports late-arriving rows and out-of-order commits exactly once', async () => {
    const dir = tempDir('smx-export-late-');
    const run = () => runIncrementalExport(t.db, { state: 'late', directory: dir, format: 'csv', filters: {} });
    const day = Date.UTC(2024, 2, 1);
    // A long transaction writes old readings and commits only after a later one.
    const slow = await t.pool.connect();
    const { wrapClient } = await import('../../src/db/postgres-db.js');
    await slow.query('begin');
    await writeReadings(wrapClient(slow), readings('slow', day, 10), { batchId: null, prepareWith: t.db });
    await t.db.transaction((c) =>
      writeReadings(c, readings('fast', day + 3_600_000, 10), { batchId: null, prepareWith: t.db }),
    );
    const first = await run();
    assert.equal(first.rows, 10, 'only the committed transaction');
    await slow.query('commit');
    slow.release();
    // A reading timestamped before everything exported so far arrives late.
    await t.db.transaction((c) => writeReadings(c, readings('fast', day - 86_400_000, 5), { batchId: null }));
    const second = await run();
    assert.equal(second.rows, 15);
    const third = await run();
    assert.equal(third.rows, 0, 'nothing new: exit 0, no file');
    assert.equal(third.runs[0]!.output, null);
    const seen = exported(dir);
    assert.equal(seen.size, 25);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  it('with an ingest running concurrently, every row lands in exactly one file', async () => {
    const dir = tempDir('smx-export-concurrent-');
    const input = path.join(dir, 'input.txt');
    const lines = ['sensor_id,timestamp,value'];
    for (let s = 0; s < 5; s++)
      for (let i = 0; i < 4000; i++)
        lines.push(`c${s},${new Date(Date.UTC(2024, 3, 1) + i * minute).toISOString()},${i}`);
    writeFileSync(input, lines.join('\n') + '\n');
    const exportDir = tempDir('smx-export-concurrent-out-');
    const run = () =>
      runIncrementalExport(t.db, {
        state: 'concurrent',
        directory: exportDir,
        format: 'csv',
        filters: { sensors: ['c0', 'c1', 'c2', 'c3', 'c4'] },
      });
    let done = false;
    const ingest = runIngest(t.db, {
      input,
      stdin: Readable.from([]),
      format: 'csv',
      logger: silentLogger(),
      workers: 2,
      batchRows: 1000,
    }).finally(() => (done = true));
    let exports = 0;
    while (!done) {
      await run();
      exports += 1;
    }
    assert.equal((await ingest).inserted, 20_000);
    await run();
    const seen = exported(exportDir);
    assert.equal(seen.size, 20_000);
    assert.ok(
      [...seen.values()].every((n) => n === 1),
      'no row exported twice',
    );
    assert.ok(exports >= 1);
  });

  it('a crash between the file and the watermark loses and repeats nothing', async () => {
    const dir = tempDir('smx-export-crash-');
    const base = Date.UTC(2024, 5, 1);
    await t.db.transaction((c) => writeReadings(c, readings('crash', base, 20), { batchId: null }));
    const options = { state: 'crash', directory: dir, format: 'csv' as const, filters: { sensors: ['crash'] } };
    // Dies after the rename, before the watermark moves.
    await assert.rejects(
      runIncrementalExport(t.db, {
        ...options,
        afterFileWritten: async () => {
          throw new Error('simulated crash');
        },
      }),
    );
    await t.db.transaction((c) => writeReadings(c, readings('crash', base + 100 * minute, 7), { batchId: null }));
    const recovered = await runIncrementalExport(t.db, options);
    assert.deepEqual(
      recovered.runs.map((r) => [r.recovered, r.rows]),
      [
        [true, 20],
        [false, 7],
      ],
    );
    // Dies the same way, and this time the file is lost too (as if it died before the rename).
    await t.db.transaction((c) => writeReadings(c, readings('crash', base + 200 * minute, 3), { batchId: null }));
    let lost = '';
    await assert.rejects(
      runIncrementalExport(t.db, {
        ...options,
        afterFileWritten: async (file) => {
          lost = file;
          throw new Error('simulated crash');
        },
      }),
    );
    rmSync(lost);
    await t.db.transaction((c) => writeReadings(c, readings('crash', base + 300 * minute, 2), { batchId: null }));
    const redone = await runIncrementalExport(t.db, options);
    assert.deepEqual(
      redone.runs.map((r) => [r.recovered, r.rows, path.basename(r.output ?? '')]),
      [
        [true, 3, path.basename(lost)],
        [false, 2, 'crash-000004.csv'],
      ],
    );
    const seen = exported(dir);
    assert.equal(seen.size, 32);
    assert.ok([...seen.values()].every((n) => n === 1));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.tmp')),
      [],
      'no temporary file is left',
    );
  });

  it('refuses to change the filters of an existing state', async () => {
    const dir = tempDir('smx-export-filters-');
    await runIncrementalExport(t.db, { state: 'f', directory: dir, format: 'csv', filters: { sensors: ['a'] } });
    await assert.rejects(
      runIncrementalExport(t.db, { state: 'f', directory: dir, format: 'csv', filters: { sensors: ['b'] } }),
      /other filters/,
    );
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { writeReadings } from '../../src/ingest/write-readings.js';
import type { Reading } from '../../src/ingest/reading.js';
import { copyPartsInOrder } from '../../src/export/parallel-copy.js';
import { runExport } from '../../src/export/run-export.js';
import { runIncrementalExport } from '../../src/export/incremental-export.js';
import { splitBySensor } from '../../src/export/sensor-ranges.js';

describe('splitBySensor', () => {
  const counts = (...rows: number[]) => rows.map((n, i) => ({ sensorId: `s${i}`, rows: n }));

  it('cuts at the sensors where the running total passes each equal share', () => {
    assert.deepEqual(splitBySensor(counts(10, 10, 10, 10), 2), [{ to: 's2' }, { from: 's2' }]);
    assert.deepEqual(splitBySensor(counts(10, 10, 10, 10, 10, 10), 3), [
      { to: 's2' },
      { from: 's2', to: 's4' },
      { from: 's4' },
    ]);
  });

  it('gives fewer parts when one sensor holds most rows, and one unbounded range when nothing can be split', () => {
    assert.deepEqual(splitBySensor(counts(1000, 1, 1), 3), [{ to: 's1' }, { from: 's1' }]);
    assert.deepEqual(splitBySensor(counts(5), 4), [{}]);
    assert.deepEqual(splitBySensor([], 2), [{}]);
    assert.deepEqual(splitBySensor(counts(10, 10), 1), [{}]);
  });
});

describe('export in parallel parts (one snapshot, parts in order)', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase({ poolSize: 5 });
    dir = tempDir('smx-export-parallel-');
    const base = Date.UTC(2024, 0, 1);
    // Sensor ids whose byte order and collation order may differ (case, digits, punctuation).
    const ids = ['pump-10', 'Pump-2', 'pump-2', 'a.b', 'a-b', 'z', 'Z', '0', '_x', 'pump-1'];
    const rows: Reading[] = [];
    for (const [k, id] of ids.entries())
      for (let m = 0; m < 60 * (k + 1); m++)
        rows.push({ sensorId: id, ts: base + m * 60_000, value: k + m / 7, sensorType: 'temperature', unit: 'C' });
    await t.db.transaction((c) => writeReadings(c, rows, { batchId: null, prepareWith: t.db }));
  });
  after(async () => {
    await t?.drop();
  });

  const exportTo = async (name: string, workers: number, format: 'csv' | 'ndjson' = 'csv', filters = {}) => {
    const file = path.join(dir, name);
    const summary = await runExport(t.db, { format, filters, output: file, workers, rowsPerPart: 100 });
    return { summary, text: readFileSync(file, 'utf8') };
  };

  it('writes the same bytes as one COPY, for CSV (one header) and NDJSON, with and without filters', async () => {
    const one = await exportTo('one.csv', 1);
    for (const workers of [2, 3, 4]) {
      const many = await exportTo(`many-${workers}.csv`, workers);
      assert.equal(many.summary.rows, one.summary.rows);
      assert.equal(many.text, one.text, `${workers} parts`);
    }
    assert.equal(one.text.split('\n').filter((l) => l.startsWith('sensor_id,')).length, 1);
    assert.equal((await exportTo('many.ndjson', 3, 'ndjson')).text, (await exportTo('one.ndjson', 1, 'ndjson')).text);
    const filters = { sinceMs: Date.UTC(2024, 0, 1, 1), sensors: ['pump-1', 'pump-10', 'Z', 'a.b', 'z'] };
    const filtered = await exportTo('filtered-3.csv', 3, 'csv', filters);
    assert.equal(filtered.text, (await exportTo('filtered-1.csv', 1, 'csv', filters)).text);
    assert.ok(filtered.summary.rows > 0);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.')),
      [],
      'no spool or temporary file is left',
    );
  });

  it('every part reads the one exported snapshot: a row committed after it is in no part', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const statement = `copy (select count(*) from sensor_readings) to stdout`;
    const rows = await copyPartsInOrder(t.db, [statement, statement, statement], out, {
      spoolDir: dir,
      end: true,
      afterSnapshotExported: () =>
        t.db
          .transaction((c) =>
            writeReadings(c, [{ sensorId: 'late', ts: Date.UTC(2024, 0, 2), value: 1 }], { batchId: null }),
          )
          .then(() => undefined),
    });
    assert.equal(rows, 3);
    assert.deepEqual(text.trim().split('\n'), ['3300', '3300', '3300']);
    await t.db.query(`delete from sensor_readings where sensor_id = 'late'`);
  });

  it('a failing part fails the export: no output, no spool file, and the pool still works', async () => {
    const out = new PassThrough().resume();
    await assert.rejects(
      copyPartsInOrder(
        t.db,
        ['copy (select 1) to stdout', 'copy (select 1/0) to stdout', 'copy (select 2) to stdout'],
        out,
        { spoolDir: dir, end: true },
      ),
      /division by zero/,
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.')),
      [],
    );
    const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from sensor_readings');
    assert.equal(rows[0]!.n, 3300);
  });

  it('incremental runs cut into parts export each row exactly once, as one part does', async () => {
    const one = await runIncrementalExport(t.db, {
      state: 'p1',
      directory: dir,
      format: 'csv',
      filters: {},
      workers: 1,
    });
    const many = await runIncrementalExport(t.db, {
      state: 'p3',
      directory: dir,
      format: 'csv',
      filters: {},
      workers: 3,
      rowsPerPart: 100,
    });
    assert.equal(many.rows, one.rows);
    assert.equal(readFileSync(many.runs[0]!.output!, 'utf8'), readFileSync(one.runs[0]!.output!, 'utf8'));
    const again = await runIncrementalExport(t.db, {
      state: 'p3',
      directory: dir,
      format: 'csv',
      filters: {},
      workers: 3,
      rowsPerPart: 100,
    });
    assert.equal(again.rows, 0);
  });
});

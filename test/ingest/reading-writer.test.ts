import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Reading } from '../../src/ingest/reading.js';
import { createReadingWriter } from '../../src/ingest/reading-writer.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { hourlyMismatches } from '../helpers/hourly-mismatches.js';

/**
 * The server's flush has two ways in: one INSERT statement for small batches
 * (insert-readings.ts) and the ingest writer's COPY for large ones. Both must
 * say the same thing about the same rows — which were stored now, which were
 * already there — and leave the hourly aggregates equal to a GROUP BY.
 */
const paths = [
  { name: 'one INSERT statement (small batches)', copyFromRows: Number.POSITIVE_INFINITY },
  { name: 'COPY in a transaction (large batches)', copyFromRows: 1 },
];

for (const path of paths) {
  describe(`smx serve reading writer: ${path.name}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase({ poolSize: 4 });
    });
    after(async () => {
      await t?.drop();
    });

    const base = Date.UTC(2024, 4, 5, 23, 58); // Sunday 23:58 UTC: batches below span two weekly partitions
    const reading = (sensorId: string, minute: number, value = minute): Reading => ({
      sensorId,
      ts: base + minute * 60_000,
      value,
    });

    const mismatches = () => hourlyMismatches(t.db);

    it('stores new rows across a week boundary, registers new sensors with their description, and folds them hourly', async () => {
      const writer = createReadingWriter(t.db, { copyFromRows: path.copyFromRows });
      const rows: Reading[] = [
        { ...reading('w-temp', 0), sensorType: 'temperature', unit: 'C', metadata: { line: 3 } },
        reading('w-temp', 1),
        reading('w-temp', 2),
        reading('w-temp', 3),
        reading('w-vib', 1),
      ];
      assert.deepEqual(await writer.flush(rows), [true, true, true, true, true]);
      const stored = await t.db.query<{ n: number; weeks: number }>(
        `select count(*)::int as n, count(distinct tableoid)::int as weeks from sensor_readings where sensor_id like 'w-%'`,
      );
      assert.deepEqual(stored.rows[0], { n: 5, weeks: 2 });
      const sensor = await t.db.query(`select sensor_type, unit, metadata from sensors where sensor_id = 'w-temp'`);
      assert.deepEqual(sensor.rows[0], { sensor_type: 'temperature', unit: 'C', metadata: { line: 3 } });
      assert.equal((await t.db.query(`select 1 from sensors where sensor_id = 'w-vib'`)).rowCount, 1);
      assert.deepEqual(await mismatches(), []);
    });

    it('says per row what was stored: rows already there and repeats inside the batch are duplicates (the first of a key counts)', async () => {
      const writer = createReadingWriter(t.db, { copyFromRows: path.copyFromRows });
      const rows = [
        reading('w-temp', 2, 99),
        reading('w-new', 0),
        reading('w-new', 0, -1),
        reading('w-temp', 10),
        reading('w-new', 1),
      ];
      assert.deepEqual(await writer.flush(rows), [false, true, false, true, true]);
      const kept = await t.db.query<{ value: number }>(
        `select value from sensor_readings where sensor_id = 'w-new' and ts = $1`,
        [new Date(base)],
      );
      assert.deepEqual(kept.rows, [{ value: 0 }]);
      const old = await t.db.query<{ value: number }>(
        `select value from sensor_readings where sensor_id = 'w-temp' and ts = $1`,
        [new Date(base + 2 * 60_000)],
      );
      assert.deepEqual(old.rows, [{ value: 2 }]);
      assert.deepEqual(await mismatches(), []);
    });

    it('concurrent flushes with common keys each store a key once and neither fails', async () => {
      const writer = createReadingWriter(t.db, { copyFromRows: path.copyFromRows });
      const batch = (from: number) => Array.from({ length: 40 }, (_, k) => reading(`w-c${(from + k) % 3}`, from + k));
      const results = await Promise.all([writer.flush(batch(100)), writer.flush(batch(120)), writer.flush(batch(110))]);
      const stored = results.flat().filter(Boolean).length;
      const { rows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from sensor_readings where sensor_id like 'w-c%'`,
      );
      assert.equal(rows[0]!.n, 60); // minutes 100..159
      assert.equal(stored, 60);
      assert.deepEqual(await mismatches(), []);
    });

    it('stores sensor ids and values exactly, whatever characters and digits they hold', async () => {
      const writer = createReadingWriter(t.db, { copyFromRows: path.copyFromRows });
      const ids = ['w-"quoted"', 'w-back\\slash', 'w-comma,{brace}', 'NULL', 'w- inner space', 'w-ünï-✓', "w-'single'"];
      const values = [0.1 + 0.2, 1e-300, -123456789.123456789, 2 ** 53 + 2, 6.02214076e23, -0.5];
      const rows = ids.flatMap((id, k) =>
        values.map((value, m) => ({ ...reading(id, 500 + m), value, quality: k % 2 ? 0.25 : 1 })),
      );
      assert.deepEqual(
        await writer.flush(rows),
        rows.map(() => true),
      );
      const { rows: back } = await t.db.query<{ sensor_id: string; value: number; quality: number }>(
        `select sensor_id, value, quality from sensor_readings where ts >= $1 order by ts`,
        [new Date(base + 500 * 60_000)],
      );
      // Stable sorts by id in JavaScript's order (the database's collation may differ); within an id, time order.
      const byId = (a: { sensor_id: string }, b: { sensor_id: string }) =>
        a.sensor_id < b.sensor_id ? -1 : a.sensor_id > b.sensor_id ? 1 : 0;
      const expected = rows.map((r) => ({ sensor_id: r.sensorId, value: r.value, quality: r.quality }));
      assert.deepEqual(back.map((r) => ({ ...r })).sort(byId), expected.sort(byId));
      assert.deepEqual(await mismatches(), []);
    });

    it('carries the writing transaction id in xid (what incremental export reads)', async () => {
      const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from sensor_readings where xid <= 0`);
      assert.equal(rows[0]!.n, 0);
      const writer = createReadingWriter(t.db, { copyFromRows: path.copyFromRows });
      await writer.flush([reading('w-x', 0), reading('w-x', 1)]);
      const xids = await t.db.query<{ n: number }>(
        `select count(distinct xid)::int as n from sensor_readings where sensor_id = 'w-x'`,
      );
      assert.equal(xids.rows[0]!.n, 1);
    });
  });
}

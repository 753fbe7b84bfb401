import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { hourlyMismatches } from '../helpers/hourly-mismatches.js';
import { CopyBatch } from '../../src/ingest/copy-batch.js';
import { writeBatch, type WriteResult } from '../../src/ingest/write-readings.js';
import { ingestStream } from '../../src/ingest/ingest-stream.js';

/**
 * The partition-direct write folds hourly aggregates itself (the parent's
 * statement trigger does not fire for a COPY into a partition). These tests
 * check, after every way a batch can go in, that sensor_hourly equals a
 * GROUP BY over sensor_readings: nothing missed, nothing counted twice.
 */
describe('hourly aggregates stay exact on every write path', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ poolSize: 4 });
  });
  after(async () => {
    await t?.drop();
  });

  const minute = 60_000_000;
  const t0 = Date.UTC(2024, 4, 5, 22, 0, 0) * 1000; // Sunday 22:00 UTC: a two-hour batch spans two weekly partitions
  const batchOf = (sensors: string[], fromMinute: number, minutes: number, batchId = 1): CopyBatch => {
    const b = new CopyBatch(batchId, 4096);
    for (let m = fromMinute; m < fromMinute + minutes; m++) {
      for (const s of sensors) b.add(s, t0 + m * minute, Math.sin(m) * 100 + s.length, 1);
    }
    return b;
  };
  const write = (b: CopyBatch): Promise<WriteResult> => t.db.transaction((c) => writeBatch(c, b));

  const mismatches = () => hourlyMismatches(t.db);

  it('a fresh batch goes straight into its partitions (two weeks) and folds exactly', async () => {
    const r = await write(batchOf(['a', 'b'], 0, 180));
    assert.deepEqual(r, { inserted: 360, duplicates: 0, path: 'partition' });
    const parts = await t.db.query<{ n: number }>(`select count(distinct tableoid)::int as n from sensor_readings`);
    assert.equal(parts.rows[0]!.n, 2);
    assert.deepEqual(await mismatches(), []);
  });

  it('an overlapping re-ingest goes through staging and folds only the new rows', async () => {
    const r = await write(batchOf(['a', 'b', 'c'], 120, 120));
    assert.equal(r.path, 'staging');
    assert.deepEqual([r.inserted, r.duplicates], [60 * 2 + 120, 60 * 2]);
    assert.deepEqual(await mismatches(), []);
  });

  it('duplicates inside one batch: the partition COPY is undone, staging inserts each row once', async () => {
    const b = batchOf(['d'], 0, 30);
    for (let m = 0; m < 10; m++) b.add('d', t0 + m * minute, -5, 1); // the same (sensor, ts) again, another value
    const r = await write(b);
    assert.deepEqual(r, { inserted: 30, duplicates: 10, path: 'staging' });
    assert.deepEqual(await mismatches(), []);
  });

  it('a rolled-back batch leaves neither rows nor aggregates', async () => {
    await assert.rejects(
      t.db.transaction(async (c) => {
        await writeBatch(c, batchOf(['rb'], 0, 90));
        throw new Error('caller failed');
      }),
    );
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from sensor_readings_hourly where sensor_id = 'rb'`,
    );
    assert.equal(rows[0]!.n, 0);
    assert.deepEqual(await mismatches(), []);
  });

  it('with another statement-level insert trigger on the parent, the batch goes through the parent (the trigger fires)', async () => {
    await t.db.query(`create table stmt_audit (n int)`);
    await t.db.query(
      `create function stmt_audit_fn() returns trigger language plpgsql as $$ begin insert into stmt_audit values (1); return null; end $$`,
    );
    await t.db.query(
      `create trigger stmt_audit after insert on sensor_readings for each statement execute function stmt_audit_fn()`,
    );
    try {
      const r = await write(batchOf(['e'], 0, 90));
      assert.deepEqual(r, { inserted: 90, duplicates: 0, path: 'direct' });
      const audit = await t.db.query<{ n: number }>(`select count(*)::int as n from stmt_audit`);
      assert.equal(audit.rows[0]!.n, 1);
    } finally {
      await t.db.query(`drop trigger stmt_audit on sensor_readings`);
    }
    assert.deepEqual(await mismatches(), []);
  });

  it('one run mixing partition and staging batches (two workers, in-file duplicates) ends exact', async () => {
    // Sensor 'mix' already has minutes 0–99; the file has minutes 50–149 of 'mix' and 'fresh', one chunk
    // (so one batch) per 10 minutes, and every other chunk repeats one 'fresh' line. Batches 0–4 overlap
    // stored rows and 5, 7, 9 hold an in-file duplicate: staging; batches 6 and 8 go into the partitions.
    await write(batchOf(['mix'], 0, 100));
    const line = (m: number, s: string) =>
      `${s},${new Date((t0 + m * minute) / 1000).toISOString()},${(m * 0.37).toFixed(2)},1\n`;
    const chunks: string[] = ['sensor_id,timestamp,value,quality\n'];
    for (let m = 50; m < 150; m += 10) {
      let chunk = '';
      for (let k = m; k < m + 10; k++) chunk += line(k, 'mix') + line(k, 'fresh');
      chunks.push((m / 10) % 2 === 0 ? chunk + line(m, 'fresh') : chunk);
    }
    const counts = await ingestStream(t.db, Readable.from(chunks.map((c) => Buffer.from(c))), {
      format: 'csv',
      batchId: 99,
      batchRows: 15,
      workers: 2,
      maxRejects: 0,
      maxLineBytes: 1 << 20,
      writeRejects: async () => undefined,
    });
    assert.deepEqual([counts.batches, counts.directBatches], [10, 2]);
    assert.deepEqual([counts.inserted, counts.duplicates], [50 + 100, 50 + 5]);
    assert.deepEqual(await mismatches(), []);
  });
});

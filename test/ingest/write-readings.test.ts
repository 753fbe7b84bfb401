import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { collisionProbeSql } from '../../src/db/queries/sensor-readings.js';
import { writeReadings, newWriterMemory } from '../../src/ingest/write-readings.js';
import type { Reading } from '../../src/ingest/reading.js';

describe('writeReadings', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => {
    await t?.drop();
  });

  const base = Date.UTC(2024, 4, 5, 23, 0, 0); // a Sunday: the batch spans two weekly partitions
  const readings = (n: number, sensor = 's1'): Reading[] =>
    Array.from({ length: n }, (_, i) => ({
      sensorId: sensor,
      ts: base + i * 60_000,
      value: i + 0.5,
      quality: 0.9,
      sensorType: 'temperature',
      unit: 'C',
    }));

  it('inserts, registers the sensor, creates partitions and folds hourly aggregates', async () => {
    const result = await t.db.transaction((c) => writeReadings(c, readings(120), { batchId: null }));
    assert.deepEqual(result, { inserted: 120, duplicates: 0 });
    const { rows } = await t.db.query<{ n: number; parts: number }>(
      `select (select count(*) from sensor_readings where sensor_id = 's1') as n,
              (select count(*) from pg_inherits where inhparent = 'sensor_readings'::regclass) as parts`,
    );
    assert.equal(rows[0]!.n, 120);
    assert.ok(rows[0]!.parts >= 2);
    const sensor = await t.db.query<{ sensor_type: string; unit: string }>(
      `select sensor_type, unit from sensors where sensor_id = 's1'`,
    );
    assert.deepEqual(sensor.rows[0], { sensor_type: 'temperature', unit: 'C' });
    const hourly = await t.db.query<{ total: number }>(
      `select sum(count)::bigint as total from sensor_readings_hourly where sensor_id = 's1'`,
    );
    assert.equal(hourly.rows[0]!.total, 120);
    const exact = await t.db.query<{ ts: Date; value: number; quality: number; batch_id: number | null }>(
      `select ts, value, quality, batch_id from sensor_readings where sensor_id = 's1' order by ts limit 1`,
    );
    assert.equal(exact.rows[0]!.ts.getTime(), base);
    assert.equal(exact.rows[0]!.value, 0.5);
    assert.ok(Math.abs(exact.rows[0]!.quality - 0.9) < 1e-6);
    assert.equal(exact.rows[0]!.batch_id, null);
  });

  it('skips rows that already exist and duplicates inside one batch', async () => {
    const memory = newWriterMemory();
    const again = [...readings(130), ...readings(5)];
    const result = await t.db.transaction((c) => writeReadings(c, again, { batchId: 7, memory }));
    assert.deepEqual(result, { inserted: 10, duplicates: 125 });
    const hourly = await t.db.query<{ total: number }>(
      `select sum(count)::bigint as total from sensor_readings_hourly where sensor_id = 's1'`,
    );
    assert.equal(hourly.rows[0]!.total, 130, 'the hourly fold counts only rows really inserted');
  });

  it('keeps nothing when the caller rolls back', async () => {
    await assert.rejects(
      t.db.transaction(async (c) => {
        await writeReadings(c, readings(3, 's-rollback'), { batchId: 1 });
        throw new Error('caller failed');
      }),
    );
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*) as n from sensor_readings where sensor_id = 's-rollback'`,
    );
    assert.equal(rows[0]!.n, 0);
  });

  it('accepts an async iterable and Date timestamps', async () => {
    async function* gen() {
      yield { sensorId: 's2', ts: new Date(base), value: -1 };
      yield { sensorId: 's2', ts: new Date(base + 1), value: 1e300 };
    }
    const result = await t.db.transaction((c) => writeReadings(c, gen(), { batchId: 2 }));
    assert.deepEqual(result, { inserted: 2, duplicates: 0 });
  });

  it('the collision probe visits only the partitions of the batch range, however many weeks are stored', async () => {
    // Ten more weeks of partitions; the probe for a batch inside one week must not scan the other weeks.
    await t.db.query(`select smx_ensure_partitions('2024-06-03'::timestamptz, '2024-08-05'::timestamptz)`);
    const lo = Date.UTC(2024, 6, 10, 12) * 1000;
    const hi = lo + 600_000_000;
    const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(
      `explain (costs off) ${collisionProbeSql.replace(/\$(\d)/g, (_, n: string) => ['', `array['s1']`, `array[${lo}]::bigint[]`, `array[${hi}]::bigint[]`, `'${new Date(lo / 1000).toISOString()}'`, `'${new Date(hi / 1000).toISOString()}'`][Number(n)]!)}`,
    );
    const scanned = new Set(rows.map((r) => /on (sensor_readings_\w+)/.exec(r['QUERY PLAN'])?.[1]).filter(Boolean));
    const weeks = await t.db.query<{ n: number }>(
      `select count(*)::int as n from pg_inherits where inhparent = 'sensor_readings'::regclass`,
    );
    assert.ok(weeks.rows[0]!.n >= 10);
    assert.deepEqual([...scanned], ['sensor_readings_2024w28']);
  });
});

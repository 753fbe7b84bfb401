import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { sqlState, SqlState } from '../../src/errors.js';

describe('schema: readings, partitions and hourly aggregates', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  it('is Citus-ready: every unique key on readings (and their partitions and hourly aggregates) includes sensor_id', async () => {
    await database.db.query("select smx_ensure_partitions('2026-03-02Z', '2026-03-03Z')");
    const { rows } = await database.db.query<{ tbl: string; idx: string; cols: string[] }>(`
      select c.relname as tbl, i.indexrelid::regclass::text as idx, array_agg(a.attname::text order by a.attnum) as cols
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indisunique and (c.relname in ('sensor_readings', 'sensor_readings_hourly') or c.relname like 'sensor_readings_%w%')
      group by 1, 2`);
    assert.ok(
      rows.some((r) => r.tbl === 'sensor_readings'),
      'the readings primary key is there',
    );
    assert.ok(
      rows.some((r) => /^sensor_readings_\d{4}w\d{2}$/.test(r.tbl)),
      "and the partitions' keys",
    );
    for (const row of rows)
      assert.ok(row.cols.includes('sensor_id'), `${row.idx} on ${row.tbl} (${row.cols.join(', ')}) includes sensor_id`);
    const kind = await database.db.query<{ relkind: string; ts: boolean }>(
      "select relkind, exists (select 1 from pg_extension where extname = 'timescaledb') as ts from pg_class where oid = 'sensor_readings'::regclass",
    );
    if (!kind.rows[0]!.ts) assert.equal(kind.rows[0]!.relkind, 'p', 'partitioned by time on plain PostgreSQL');
  });

  it('creates weekly partitions on demand and only once', async () => {
    const { rows } = await database.db.query<{ n: number }>(
      "select smx_ensure_partitions('2026-01-01Z', '2026-01-20Z') as n",
    );
    assert.equal(rows[0]?.n, 4); // weeks starting Dec 29, Jan 5, Jan 12, Jan 19
    const again = await database.db.query<{ n: number }>(
      "select smx_ensure_partitions('2026-01-01Z', '2026-01-20Z') as n",
    );
    assert.equal(again.rows[0]?.n, 0);
  });

  it('rejects a duplicate (sensor_id, ts) and a quality outside 0..1', async () => {
    await database.db.query(
      "insert into sensor_readings (sensor_id, ts, value) values ('s1', '2026-01-02T00:00:00Z', 1)",
    );
    await assert.rejects(
      database.db.query("insert into sensor_readings (sensor_id, ts, value) values ('s1', '2026-01-02T00:00:00Z', 2)"),
      (error: unknown) => sqlState(error) === SqlState.uniqueViolation,
    );
    await assert.rejects(
      database.db.query(
        "insert into sensor_readings (sensor_id, ts, value, quality) values ('s1', '2026-01-02T00:01:00Z', 2, 1.5)",
      ),
      /check constraint/,
    );
  });

  it('keeps hourly aggregates exact across several inserts, including ON CONFLICT DO NOTHING', async () => {
    await database.db.query(`insert into sensor_readings (sensor_id, ts, value) values
      ('agg', '2026-01-03T10:05:00Z', 1), ('agg', '2026-01-03T10:35:00Z', 3), ('agg', '2026-01-03T11:00:00Z', 10)`);
    await database.db.query(`insert into sensor_readings (sensor_id, ts, value) values
      ('agg', '2026-01-03T10:50:00Z', -2), ('agg', '2026-01-03T10:05:00Z', 999) on conflict do nothing`);
    const { rows } = await database.db.query<{ bucket: Date; count: number; avg: number; min: number; max: number }>(
      "select bucket, count, avg, min, max from sensor_hourly where sensor_id = 'agg' order by bucket",
    );
    assert.equal(rows.length, 2);
    assert.deepEqual(
      rows.map((r) => [r.bucket.toISOString(), r.count, r.avg, r.min, r.max]),
      [
        ['2026-01-03T10:00:00.000Z', 3, 2 / 3, -2, 3],
        ['2026-01-03T11:00:00.000Z', 1, 10, 10, 10],
      ],
    );
  });

  it('records the writing transaction id on every reading (for exactly-once export)', async () => {
    const { rows } = await database.db.query<{ same: boolean }>(
      'select bool_and(xid > 0) as same from sensor_readings',
    );
    assert.equal(rows[0]?.same, true);
  });

  it('retention drops whole old partitions and keeps the aggregates', async () => {
    const { rows } = await database.db.query<{ dropped: number }>(
      "select smx_drop_partitions_before('2026-01-12Z') as dropped",
    );
    assert.equal(rows[0]?.dropped, 2);
    const left = await database.db.query<{ n: number }>(
      "select count(*)::int as n from sensor_readings where ts < '2026-01-05Z'",
    );
    assert.equal(left.rows[0]?.n, 0);
    const hourly = await database.db.query<{ n: number }>(
      "select count(*)::int as n from sensor_readings_hourly where sensor_id = 'agg'",
    );
    assert.equal(hourly.rows[0]?.n, 2);
  });
});

import { Readable, type Writable } from 'node:stream';
import type { DbClient, Queryable, QueryOptions } from '../db.js';
import { instantLiteral, sqlLiteral } from '../sql-literal.js';

/**
 * Every statement on sensor_readings (the export's live in
 * sensor-readings-export.ts). Each function is one round trip unless it says
 * otherwise; the writers that choose between them are in src/ingest/.
 * Timestamps travel as epoch microseconds (bigint) where a batch is written,
 * so no Date is built per row.
 */

/** The columns every writer fills, in the order of the binary COPY encoding (ingest/copy-batch.ts). */
const columns = '(sensor_id, ts, value, quality, batch_id, xid)';

/**
 * One batch as PostgreSQL array literals, built by ingest/insert-readings.ts:
 * text[] of sensor ids, bigint[] of epoch microseconds, float8[] of values,
 * real[] of qualities, all in input order. Passed as they are, as the bind
 * parameters of the prepared inserts below.
 */
export type ReadingArrayLiterals = [sensorIds: string, micros: string, values: string, qualities: string];

const rowsFromArrays = `
  select s, timestamptz 'epoch' + m * interval '1 microsecond' as t, v, q
  from unnest($1::text[], $2::bigint[], $3::float8[], $4::real[]) as u(s, m, v, q)`;

// A batch whose keys are all new: the plain insert, in key order. A stored key
// raises unique_violation and rolls the whole statement back.
const insertNewSql = `
with x as materialized (select pg_current_xact_id()::text::bigint as xid),
u as (${rowsFromArrays})
insert into sensor_readings (sensor_id, ts, value, quality, xid)
select u.s, u.t, u.v, u.q, x.xid from u, x
order by u.s, u.t`;

// The rows whose key this statement did not insert come back (none, usually),
// so the answer stays small. `ordinality` numbers the input rows from 1.
const insertSkippingStoredSql = `
with x as materialized (select pg_current_xact_id()::text::bigint as xid),
u as (
  select s, timestamptz 'epoch' + m * interval '1 microsecond' as t, v, q, i
  from unnest($1::text[], $2::bigint[], $3::float8[], $4::real[]) with ordinality as u(s, m, v, q, i)
),
ins as (
  insert into sensor_readings (sensor_id, ts, value, quality, xid)
  select u.s, u.t, u.v, u.q, x.xid from u, x
  order by u.s, u.t
  on conflict (sensor_id, ts) do nothing
  returning sensor_id, ts
)
select i::int as i from u where not exists (select 1 from ins where ins.sensor_id = u.s and ins.ts = u.t)`;

// Made once: the server inserts on every flush.
const insertNewOptions: QueryOptions = { prepareAs: 'smx_insert_new_readings' };
const insertSkippingStoredOptions: QueryOptions = { prepareAs: 'smx_insert_readings' };

/** Inserts a batch with no stored key, in one statement; fails with unique_violation (storing nothing) when one is stored. */
export function insertNewReadings(db: Queryable, arrays: ReadingArrayLiterals): Promise<unknown> {
  return db.query(insertNewSql, arrays, insertNewOptions);
}

/** Inserts a batch skipping stored keys; returns the 1-based positions of the rows not stored. */
export async function insertReadingsSkippingStored(db: Queryable, arrays: ReadingArrayLiterals): Promise<number[]> {
  const { rows } = await db.query<{ i: number }>(insertSkippingStoredSql, arrays, insertSkippingStoredOptions);
  return rows.map((row) => row.i);
}

/**
 * The transaction's id (the value the xid column default would give, asked once
 * per batch instead of once per row) and whether any stored reading may collide
 * with the batch: one primary-key range probe per sensor over that sensor's
 * time range in the batch. One round trip for both.
 *
 * The batch's overall range ($4, $5) is given as plain parameters too: the
 * per-sensor bounds come from the unnest, so only these let the planner prune
 * the probe to the batch's weekly partitions. Without them every probe visited
 * every partition: 4 s per batch at 85 partitions (67 M rows), measured in the
 * 5 GB ingest benchmark, against 1 ms with them.
 */
export const collisionProbeSql = `select pg_current_xact_id()::text::bigint as xid, exists (
   select 1 from unnest($1::text[], $2::bigint[], $3::bigint[]) as s(id, lo, hi)
   where exists (select 1 from sensor_readings r
                  where r.sensor_id = s.id
                    and r.ts >= $4::timestamptz and r.ts <= $5::timestamptz
                    and r.ts >= timestamptz 'epoch' + s.lo * interval '1 microsecond'
                    and r.ts <= timestamptz 'epoch' + s.hi * interval '1 microsecond')) as hit`;

export interface SensorMicrosRanges {
  ids: string[];
  minMicros: number[];
  maxMicros: number[];
}

export async function transactionIdAndCollision(
  client: Queryable,
  ranges: SensorMicrosRanges,
  overall: { from: string; to: string },
): Promise<{ xid: number; mayCollide: boolean }> {
  const { rows } = await client.query<{ xid: string; hit: boolean }>(collisionProbeSql, [
    ranges.ids,
    ranges.minMicros,
    ranges.maxMicros,
    overall.from,
    overall.to,
  ]);
  return { xid: Number(rows[0]!.xid), mayCollide: rows[0]!.hit };
}

/** Binary COPY of an encoded batch into sensor_readings, or into one of its week partitions (`leaf`). Returns the rows copied. */
export function copyReadings(client: DbClient, payload: Buffer, leaf?: string): Promise<number> {
  return client.copyFrom(
    `copy ${leaf ?? 'sensor_readings'} ${columns} from stdin (format binary)`,
    Readable.from([payload]),
  );
}

/**
 * COPY into a temporary staging table, then INSERT … ON CONFLICT DO NOTHING
 * through the parent (its trigger folds exactly the rows inserted). Four
 * round trips; returns the rows inserted.
 */
export async function insertThroughStaging(client: DbClient, payload: Buffer): Promise<number> {
  await client.query(
    `create temp table if not exists smx_ingest_staging
       (sensor_id text, ts timestamptz, value double precision, quality real, batch_id bigint, xid bigint) on commit delete rows`,
  );
  await client.copyFrom(`copy smx_ingest_staging ${columns} from stdin (format binary)`, Readable.from([payload]));
  const { rowCount } = await client.query(
    `insert into sensor_readings ${columns}
     select sensor_id, ts, value, quality, batch_id, xid from smx_ingest_staging order by sensor_id, ts
     on conflict (sensor_id, ts) do nothing`,
  );
  await client.query('truncate smx_ingest_staging');
  return rowCount;
}

/** Creates the weekly partitions holding these week starts (smx_ensure_partitions; existing ones are kept). */
export async function ensureWeekPartitions(db: Queryable, weekStarts: readonly string[]): Promise<void> {
  await db.query('select sum(smx_ensure_partitions(t, t)) from unnest($1::timestamptz[]) t', [weekStarts]);
}

/** Drops the weekly partitions that end more than `days` days ago (smx_drop_partitions_before); returns how many. */
export async function dropPartitionsOlderThan(db: Queryable, days: number): Promise<number> {
  const { rows } = await db.query<{ dropped: number }>(
    'select smx_drop_partitions_before(now() - make_interval(days => $1)) as dropped',
    [days],
  );
  return rows[0]?.dropped ?? 0;
}

/**
 * For each week start, the plain-table partition of sensor_readings bounded by
 * exactly that week (null when there is none), in the order given; undefined
 * unless sensor_readings is a declaratively partitioned table whose only
 * statement-level insert trigger is the enabled hourly fold
 * (ingest/week-partitions.ts says why).
 */
export async function weekPartitionLeaves(
  client: Queryable,
  weekStarts: readonly string[],
): Promise<Array<string | null> | undefined> {
  const { rows } = await client.query<{ i: number; leaf: string | null }>(
    `select w.i::int as i,
       (select format('%I.%I', n.nspname, c.relname)
          from pg_inherits inh
          join pg_class c on c.oid = inh.inhrelid
          join pg_namespace n on n.oid = c.relnamespace
          cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid),
            '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$') as b
         where inh.inhparent = p.oid and c.relkind = 'r'
           and b[1]::timestamptz = w.start and b[2]::timestamptz = w.start + interval '7 days'
         limit 1) as leaf
     from pg_class p, unnest($1::timestamptz[]) with ordinality as w(start, i)
     where p.oid = 'sensor_readings'::regclass and p.relkind = 'p'
       and exists (select 1 from pg_trigger t where t.tgrelid = p.oid and t.tgname = 'sensor_readings_fold_hourly' and t.tgenabled in ('O', 'A'))
       and not exists (select 1 from pg_trigger t where t.tgrelid = p.oid and not t.tgisinternal
                         and t.tgtype & 1 = 0 and t.tgtype & 4 <> 0 and t.tgname <> 'sensor_readings_fold_hourly')`,
    [weekStarts],
  );
  if (rows.length !== weekStarts.length) return undefined;
  const leaves = new Array<string | null>(weekStarts.length);
  for (const row of rows) leaves[row.i - 1] = row.leaf;
  return leaves;
}

/** The key of one reading in the sets below: sensor id and epoch microseconds. */
export const readingKey = (sensorId: string, micros: number) => `${sensorId}\u0000${micros}`;

/** Of these readings' keys (instants in epoch microseconds), the ones stored by the current transaction (rows carry their writer's xid), as readingKey()s. */
export async function storedByThisTransaction(
  client: Queryable,
  readings: ReadonlyArray<{ sensorId: string; micros: number }>,
): Promise<Set<string>> {
  const { rows } = await client.query<{ sensor_id: string; us: number }>(
    `select r.sensor_id, (extract(epoch from r.ts) * 1000000)::bigint as us
     from sensor_readings r
     join (select distinct s, timestamptz 'epoch' + m * interval '1 microsecond' as t
           from unnest($1::text[], $2::bigint[]) as u(s, m)) u on r.sensor_id = u.s and r.ts = u.t
     where r.xid = pg_current_xact_id()::text::bigint`,
    [readings.map((r) => r.sensorId), readings.map((r) => r.micros)],
  );
  return new Set(rows.map((row) => `${row.sensor_id}\u0000${row.us}`));
}

/** `ts` within any of the half-open ranges (a seasonal reference is several). */
function rangesCondition(column: string, ranges: ReadonlyArray<{ from: Date; to: Date }>): string {
  if (ranges.length === 0) return 'false';
  return `(${ranges
    .map((r) => `(${column} >= ${instantLiteral(r.from)} and ${column} < ${instantLiteral(r.to)})`)
    .join(' or ')})`;
}

/**
 * One sensor's values in [from, to) (or in any of several ranges) streamed
 * into `sink` as COPY binary (one float8 column; drift's FloatCopyParser reads
 * it), in time order: a seeded sample then depends on the data only, never on
 * the plan (a heap scan after ANALYZE returned another order and another
 * sample). The primary key serves the range and the order. Returns the rows copied.
 */
export function copyReadingValues(
  client: DbClient,
  sensorId: string,
  range: { from: Date; to: Date } | ReadonlyArray<{ from: Date; to: Date }>,
  sink: Writable,
): Promise<number> {
  const ranges = Array.isArray(range) ? range : [range as { from: Date; to: Date }];
  const query = `select value from sensor_readings where sensor_id = ${sqlLiteral(sensorId)} and ${rangesCondition('ts', ranges)} order by ts`;
  return client.copyTo(`copy (${query}) to stdout (format binary)`, sink);
}

/**
 * One sensor's readings in any of the ranges as COPY binary of two float8
 * columns, epoch milliseconds and value, in time order (drift's
 * TimedCopyParser reads it): the quality signals (gaps, flat lines) and the
 * time-aligned multivariate checks need the timestamps.
 */
export function copyTimedReadings(
  client: DbClient,
  sensorId: string,
  ranges: ReadonlyArray<{ from: Date; to: Date }>,
  sink: Writable,
): Promise<number> {
  const query = `select (extract(epoch from ts) * 1000)::float8, value from sensor_readings where sensor_id = ${sqlLiteral(sensorId)} and ${rangesCondition('ts', ranges)} order by ts`;
  return client.copyTo(`copy (${query}) to stdout (format binary)`, sink);
}

/**
 * The readings of several sensors in [from, to) as COPY binary of three
 * columns — the sensor's position in `sensorIds` (int4, 1-based), epoch
 * milliseconds and value (float8) — in time order across sensors, for one
 * streamed pass over a drift timeline. Call it for consecutive slices (a day
 * at a time) so each sort stays small.
 */
export function copyReadingsByTime(
  client: DbClient,
  sensorIds: readonly string[],
  range: { from: Date; to: Date },
  sink: Writable,
): Promise<number> {
  const ids = `array[${sensorIds.map(sqlLiteral).join(',')}]::text[]`;
  const query = `select array_position(${ids}, sensor_id)::int4, (extract(epoch from ts) * 1000)::float8, value from sensor_readings where sensor_id = any(${ids}) and ${rangesCondition('ts', [range])} order by ts, sensor_id`;
  return client.copyTo(`copy (${query}) to stdout (format binary)`, sink);
}

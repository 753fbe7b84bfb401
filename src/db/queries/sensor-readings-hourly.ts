import type { Writable } from 'node:stream';
import type { DbClient, Queryable } from '../db.js';
import { instantLiteral, sqlLiteral } from '../sql-literal.js';

/**
 * Statements on sensor_readings_hourly (one row per sensor and hour: count,
 * sum, min, max) and on its view sensor_hourly (the same with the average).
 */

/** One batch's hourly aggregates as column arrays (ingest/hourly-fold.ts builds them). */
export interface HourlyColumns {
  sensors: string[];
  /** Hour starts, ISO-8601 UTC. */
  buckets: string[];
  counts: number[];
  sums: number[];
  mins: number[];
  maxs: number[];
}

/**
 * Adds the aggregates exactly as smx_fold_hourly() does (migrations/0001_init.sql):
 * count and sum added, min and max widened, rows locked in (sensor_id, bucket)
 * order like the trigger so that concurrent folds cannot deadlock. Call only
 * for rows that were all inserted.
 */
export async function foldHourlyColumns(client: Queryable, c: HourlyColumns): Promise<void> {
  await client.query(
    `insert into sensor_readings_hourly as h (sensor_id, bucket, count, sum, min, max)
     select * from unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[])
     order by 1, 2
     on conflict (sensor_id, bucket) do update
       set count = h.count + excluded.count,
           sum   = h.sum + excluded.sum,
           min   = least(h.min, excluded.min),
           max   = greatest(h.max, excluded.max)`,
    [c.sensors, c.buckets, c.counts, c.sums, c.mins, c.maxs],
  );
}

/**
 * Readings per sensor (ordered by sensor id, as the database orders them),
 * from the hourly aggregates: no pass over the readings. An hour cut by
 * `sinceMs` counts whole.
 */
export async function readingsPerSensor(
  db: Queryable,
  filters: { sinceMs?: number; untilMs?: number; sensors?: readonly string[] },
): Promise<Array<{ sensorId: string; rows: number }>> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filters.sinceMs !== undefined) {
    params.push(new Date(filters.sinceMs));
    conditions.push(
      `bucket >= date_trunc('hour', $${params.length}::timestamptz at time zone 'UTC') at time zone 'UTC'`,
    );
  }
  if (filters.untilMs !== undefined) {
    params.push(new Date(filters.untilMs));
    conditions.push(`bucket < $${params.length}::timestamptz`);
  }
  if (filters.sensors?.length) {
    params.push(filters.sensors);
    conditions.push(`sensor_id = any($${params.length}::text[])`);
  }
  const { rows } = await db.query<{ sensor_id: string; n: number }>(
    `select sensor_id, sum(count)::bigint as n from sensor_readings_hourly ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
     group by sensor_id order by sensor_id`,
    params,
  );
  return rows.map((r) => ({ sensorId: r.sensor_id, rows: r.n }));
}

/** One sensor's hourly averages over hours starting in [from, to) streamed into `sink` as COPY binary (one float8 column). */
export function copyHourlyAverages(
  client: DbClient,
  sensorId: string,
  range: { from: Date; to: Date },
  sink: Writable,
): Promise<number> {
  const query = `select avg from sensor_hourly where sensor_id = ${sqlLiteral(sensorId)} and bucket >= ${instantLiteral(range.from)} and bucket < ${instantLiteral(range.to)} and count > 0`;
  return client.copyTo(`copy (${query}) to stdout (format binary)`, sink);
}

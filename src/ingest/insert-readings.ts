import type { Queryable } from '../db/db.js';
import { weekOfMicros, type SensorInfo } from './copy-batch.js';
import type { Reading } from './reading.js';
import { prepareBatch, type WriterMemory } from './write-readings.js';

/**
 * The small-batch writer (`smx serve`'s group commit): one INSERT … SELECT FROM
 * unnest(…) ON CONFLICT DO NOTHING, sent as a single statement outside any
 * explicit transaction. PostgreSQL commits it when the statement ends, so a
 * batch costs one round trip and one commit, where the COPY path needs BEGIN,
 * the collision probe, savepoints, the COPY, the hourly fold and COMMIT: seven
 * round trips, which dominate for the tens of rows a group commit gathers
 * (docs/decisions.md has the measurement). The insert goes through the parent
 * table, so its statement trigger folds the hourly aggregates of exactly the
 * rows stored, and rows are inserted in key order so that two concurrent
 * batches with common keys wait on each other instead of deadlocking.
 *
 * Returns, per row in order, whether this statement stored it (true) or it was
 * already there (false); of several rows with one key, the first counts.
 */
export async function insertReadings(db: Queryable, rows: readonly Reading[], memory: WriterMemory): Promise<boolean[]> {
  if (rows.length === 0) return [];
  const ids: string[] = new Array(rows.length);
  const micros: number[] = new Array(rows.length);
  const values: number[] = new Array(rows.length);
  const qualities: number[] = new Array(rows.length);
  const weeks = new Set<number>();
  const sensors = new Map<string, SensorInfo>();
  const firstOfKey = new Map<string, number>();
  const stored: boolean[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const us = (typeof r.ts === 'number' ? r.ts : r.ts.getTime()) * 1000;
    ids[i] = r.sensorId;
    micros[i] = us;
    values[i] = r.value;
    qualities[i] = r.quality ?? 1;
    weeks.add(weekOfMicros(us));
    if (!memory.sensors.has(r.sensorId) && !sensors.has(r.sensorId)) {
      sensors.set(r.sensorId, { sensorType: r.sensorType, unit: r.unit, metadata: r.metadata ? JSON.stringify(r.metadata) : undefined });
    }
    const key = `${r.sensorId}\u0000${us}`;
    stored[i] = !firstOfKey.has(key);
    if (stored[i]) firstOfKey.set(key, i);
  }
  await prepareBatch(db, { weeks, sensors }, memory);
  const { rows: notStored } = await db.query<{ i: number }>(insertSql, [ids, micros, values, qualities], { prepareAs: 'smx_insert_readings' });
  for (const { i } of notStored) stored[i - 1] = false;
  return stored;
}

// The rows whose key this statement did not insert come back (none, usually),
// so the answer stays small. `ordinality` numbers the input rows from 1.
const insertSql = `
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

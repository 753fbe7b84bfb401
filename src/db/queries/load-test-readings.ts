import type { DbClient, Queryable } from '../db.js';

/**
 * Statements of `smx loadtest`'s ingest check and --cleanup, on the readings
 * its ingest scenario wrote: request n of a generator thread is the reading
 * (prefix || n % sensorsPerThread, epoch + (startMs + n) ms) (src/load-test/scenarios.ts).
 * Every statement names the sensors and the time range, so it reads the
 * primary key of the partitions the run wrote to, whatever else the table holds.
 */

const msAfterEpoch = (param: string) => `timestamptz 'epoch' + ${param}::bigint * interval '1 millisecond'`;

/** Readings of these sensors with fromMs <= ts < toMs. */
export async function countReadingsBetween(
  db: Queryable,
  sensorIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::bigint as n from sensor_readings
     where sensor_id = any($1::text[]) and ts >= ${msAfterEpoch('$2')} and ts < ${msAfterEpoch('$3')}`,
    [sensorIds, fromMs, toMs],
  );
  return rows[0]?.n ?? 0;
}

/** How many of the readings of these request numbers are stored (integer arithmetic: exact). */
export async function countRequestReadings(
  db: Queryable,
  request: { sensorPrefix: string; startMs: number; sensorsPerThread: number },
  numbers: readonly number[],
): Promise<number> {
  if (numbers.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::bigint as n
     from unnest($3::bigint[]) as req(n)
     join sensor_readings r
       on r.sensor_id = $1 || (req.n % $4::int)::text
      and r.ts = timestamptz 'epoch' + ($2::bigint + req.n) * interval '1 millisecond'`,
    [request.sensorPrefix, request.startMs, numbers, request.sensorsPerThread],
  );
  return rows[0]?.n ?? 0;
}

/** Deletes the readings (fromMs <= ts < toMs), the hourly aggregates and the sensor rows of these sensors. */
export async function deleteSensorsReadings(
  client: DbClient,
  sensorIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<{ readings: number; hourlyRows: number; sensors: number }> {
  const readings = await client.query(
    `delete from sensor_readings
     where sensor_id = any($1::text[]) and ts >= ${msAfterEpoch('$2')} and ts < ${msAfterEpoch('$3')}`,
    [sensorIds, fromMs, toMs],
  );
  const hourly = await client.query('delete from sensor_readings_hourly where sensor_id = any($1::text[])', [
    sensorIds,
  ]);
  const sensors = await client.query('delete from sensors where sensor_id = any($1::text[])', [sensorIds]);
  return { readings: readings.rowCount, hourlyRows: hourly.rowCount, sensors: sensors.rowCount };
}

import type { Queryable } from '../db/db.js';

export interface SensorWindows {
  reference: Float64Array;
  current: Float64Array;
  /** Half-open bounds: reference [referenceFrom, currentFrom), current [currentFrom, currentTo). */
  referenceFrom: Date;
  currentFrom: Date;
  currentTo: Date;
}

/**
 * One sensor's values in two adjacent, non-overlapping windows of equal
 * length ending at `nowMs`: current [now−W, now), reference [now−2W, now−W).
 * Every reading in them is used (the seed capped them at 150 and let the
 * windows share their boundary instant).
 */
export async function loadSensorWindows(
  db: Queryable,
  sensorId: string,
  nowMs: number,
  windowMs: number,
): Promise<SensorWindows> {
  const currentTo = new Date(nowMs);
  const currentFrom = new Date(nowMs - windowMs);
  const referenceFrom = new Date(nowMs - 2 * windowMs);
  const { rows } = await db.query<{ reference: number[] | null; current: number[] | null }>(
    `select array_agg(value) filter (where ts < $3) as reference,
            array_agg(value) filter (where ts >= $3) as current
     from sensor_readings
     where sensor_id = $1 and ts >= $2 and ts < $4`,
    [sensorId, referenceFrom, currentFrom, currentTo],
  );
  const row = rows[0];
  return {
    reference: Float64Array.from(row?.reference ?? []),
    current: Float64Array.from(row?.current ?? []),
    referenceFrom,
    currentFrom,
    currentTo,
  };
}

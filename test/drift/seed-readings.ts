import type { Queryable } from '../../src/db/db.js';

/**
 * Inserts `count` readings for one sensor from `from`, one every `stepMs`,
 * with value = shift + ((i · multiplier) mod 1000) / 1000: a deterministic,
 * roughly uniform spread on [shift, shift + 1) whose order differs per multiplier.
 */
export async function seedReadings(
  db: Queryable,
  sensorId: string,
  from: string,
  count: number,
  options: { stepMs?: number; shift?: number; multiplier?: number } = {},
): Promise<void> {
  const stepMs = options.stepMs ?? 1000;
  const start = new Date(from);
  const end = new Date(start.getTime() + stepMs * count);
  await db.query('select smx_ensure_partitions($1, $2)', [start, end]);
  await db.query(
    `insert into sensor_readings (sensor_id, ts, value)
     select $1, $2::timestamptz + (i * $4) * interval '1 millisecond', $5 + ((i * $6) % 1000) / 1000.0
     from generate_series(0, $3 - 1) as i`,
    [sensorId, start, count, stepMs, options.shift ?? 0, options.multiplier ?? 7919],
  );
}

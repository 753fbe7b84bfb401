import type { Queryable } from '../db.js';

/** Statements on sensors (one row per sensor: its type, unit and metadata). */

export interface NewSensor {
  sensorId: string;
  sensorType: string | undefined;
  unit: string | undefined;
  /** JSON text of a metadata object. */
  metadata: string | undefined;
}

/** Registers sensors not known yet ('general' and '{}' for an absent type and metadata); known ones are left as they are. */
export async function registerSensors(db: Queryable, sensors: readonly NewSensor[]): Promise<void> {
  await db.query(
    `insert into sensors (sensor_id, sensor_type, unit, metadata)
     select id, coalesce(t, 'general'), u, coalesce(m, '{}'::jsonb)
     from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) as x(id, t, u, m)
     on conflict (sensor_id) do nothing`,
    [
      sensors.map((s) => s.sensorId),
      sensors.map((s) => s.sensorType ?? null),
      sensors.map((s) => s.unit ?? null),
      sensors.map((s) => s.metadata ?? null),
    ],
  );
}

/** The ids of every sensor of one type, in id order. */
export async function sensorsOfType(db: Queryable, sensorType: string): Promise<string[]> {
  const { rows } = await db.query<{ sensor_id: string }>(
    'select sensor_id from sensors where sensor_type = $1 order by sensor_id',
    [sensorType],
  );
  return rows.map((r) => r.sensor_id);
}

/** The type of each of these sensors that is registered, by id. */
export async function sensorTypes(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ sensor_id: string; sensor_type: string }>(
    'select sensor_id, sensor_type from sensors where sensor_id = any($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.sensor_id, r.sensor_type]));
}

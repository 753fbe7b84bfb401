import type { Queryable } from '../../src/db/db.js';

/**
 * Rows of sensor_readings_hourly that differ from a fresh GROUP BY over
 * sensor_readings (a side missing included): empty when every write path kept
 * the hourly aggregates exact.
 */
export async function hourlyMismatches(db: Queryable): Promise<unknown[]> {
  const { rows } = await db.query(
    `select coalesce(h.sensor_id, g.sensor_id) as sensor_id, coalesce(h.bucket, g.bucket) as bucket, h.count as stored, g.count as actual
     from sensor_readings_hourly h
     full join (select sensor_id, date_trunc('hour', ts at time zone 'UTC') at time zone 'UTC' as bucket,
                       count(*) as count, sum(value) as sum, min(value) as min, max(value) as max
                from sensor_readings group by 1, 2) g
       on g.sensor_id = h.sensor_id and g.bucket = h.bucket
     where h.count is distinct from g.count or h.min is distinct from g.min or h.max is distinct from g.max
        or h.sum is null or g.sum is null or abs(h.sum - g.sum) > 1e-9 * greatest(1, abs(g.sum))`,
  );
  return rows;
}

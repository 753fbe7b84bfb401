import type { Queryable } from '../db/db.js';
import { exportCopy, type ExportFilters, type SnapshotWindow } from './export-query.js';

/**
 * Where to cut an export into parts of about equal size. Parts are ranges of
 * sensor ids, so the parts written one after the other keep the export's
 * order (sensor, then time). The sizes come from sensor_readings_hourly, which
 * holds a row count per sensor and hour: no pass over the readings.
 */
export interface SensorCount {
  sensorId: string;
  rows: number;
}

/** A half-open range of sensor ids, [from, to); an absent end is unbounded. */
export interface SensorRange {
  from?: string;
  to?: string;
}

/**
 * Pure: up to `parts` consecutive ranges over `counts` (ordered as the
 * database orders sensor ids), each starting at the first sensor after the
 * running total passed another equal share. Fewer ranges when a few sensors hold most
 * rows; one unbounded range when there is nothing to split.
 */
export function splitBySensor(counts: readonly SensorCount[], parts: number): SensorRange[] {
  const total = counts.reduce((sum, c) => sum + c.rows, 0);
  const cuts: string[] = [];
  let running = 0;
  // Shares passed so far: a sensor bigger than a share passes several at once, and gets one cut.
  let passed = 0;
  for (let i = 0; i < counts.length && cuts.length < parts - 1; i++) {
    const reached = total > 0 ? Math.floor((running * parts) / total) : 0;
    if (reached > passed) {
      cuts.push(counts[i]!.sensorId);
      passed = reached;
    }
    running += counts[i]!.rows;
  }
  if (cuts.length === 0) return [{}];
  const ranges: SensorRange[] = cuts.map((cut, i) => (i === 0 ? { to: cut } : { from: cuts[i - 1]!, to: cut }));
  ranges.push({ from: cuts[cuts.length - 1]! });
  return ranges;
}

/** Rows per sensor under the export's filters, from the hourly aggregates (hours cut by --since/--until count whole). */
export async function sensorCounts(db: Queryable, filters: ExportFilters): Promise<SensorCount[]> {
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

/** Below this many rows an export is one COPY: a second connection and a spool file would cost more than they save. */
export const minRowsPerPart = 100_000;

/**
 * The COPY statements of a CSV or NDJSON export cut into at most `parts`
 * sensor ranges of about equal size (the first with the CSV header), for
 * copyPartsInOrder; one statement when the export is small or `parts` is 1.
 */
export async function exportParts(
  db: Queryable,
  format: 'csv' | 'ndjson',
  filters: ExportFilters,
  parts: number,
  options: { window?: SnapshotWindow; rowsPerPart?: number } = {},
): Promise<string[]> {
  const { window, rowsPerPart = minRowsPerPart } = options;
  let ranges: SensorRange[] = [{}];
  if (parts > 1) {
    const counts = await sensorCounts(db, filters);
    const total = counts.reduce((sum, c) => sum + c.rows, 0);
    ranges = splitBySensor(counts, Math.max(1, Math.min(parts, Math.floor(total / rowsPerPart))));
  }
  return ranges.map((range, i) => exportCopy(format, filters, window, i === 0, range));
}

import type { Queryable } from '../db/db.js';
import { readingsPerSensor } from '../db/queries/sensor-readings-hourly.js';
import {
  exportCopy,
  type ExportFilters,
  type SensorRange,
  type SnapshotWindow,
} from '../db/queries/sensor-readings-export.js';

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
    // Rows per sensor under the export's filters, from the hourly aggregates (hours cut by --since/--until count whole).
    const counts: SensorCount[] = await readingsPerSensor(db, filters);
    const total = counts.reduce((sum, c) => sum + c.rows, 0);
    ranges = splitBySensor(counts, Math.max(1, Math.min(parts, Math.floor(total / rowsPerPart))));
  }
  return ranges.map((range, i) => exportCopy(format, filters, window, i === 0, range));
}

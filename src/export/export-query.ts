import pg from 'pg';
import type { SensorRange } from './sensor-ranges.js';

/**
 * The SQL of an export, built as text because COPY (query) TO STDOUT takes no
 * bind parameters: every value is quoted with the driver's escapeLiteral.
 * Pure. The column order is the seed's (`sensor_id,sensor_type,value,unit,
 * timestamp,quality`), timestamps are UTC ISO-8601 with microseconds (lossless),
 * rows ordered by sensor then time.
 */
export interface ExportFilters {
  sinceMs?: number;
  untilMs?: number;
  sensors?: string[];
}

/** Incremental window: rows whose writing transaction is visible in `upTo` but not in `after`. */
export interface SnapshotWindow {
  after: string;
  upTo: string;
}

export const exportColumns = ['sensor_id', 'sensor_type', 'value', 'unit', 'timestamp', 'quality'] as const;

const q = (value: string) => pg.escapeLiteral(value);
const instant = (ms: number) => q(new Date(ms).toISOString()) + '::timestamptz';
const isoUtc = `to_char(r.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function exportWhere(filters: ExportFilters, window?: SnapshotWindow, range?: SensorRange): string {
  const conditions: string[] = [];
  // One part of an export split by sensor (parallel-copy.ts); compared with the column's collation, as ORDER BY sorts.
  if (range?.from !== undefined) conditions.push(`r.sensor_id >= ${q(range.from)}`);
  if (range?.to !== undefined) conditions.push(`r.sensor_id < ${q(range.to)}`);
  if (filters.sinceMs !== undefined) conditions.push(`r.ts >= ${instant(filters.sinceMs)}`);
  if (filters.untilMs !== undefined) conditions.push(`r.ts < ${instant(filters.untilMs)}`);
  if (filters.sensors?.length) conditions.push(`r.sensor_id in (${filters.sensors.map(q).join(', ')})`);
  if (window) {
    // xid >= xmin(after) is the index-friendly (BRIN on xid) pre-filter; the visibility
    // tests are the exact rule. Rows of transactions that aborted are invisible anyway.
    conditions.push(`r.xid >= pg_snapshot_xmin(${q(window.after)}::pg_snapshot)::text::bigint`);
    conditions.push(`not pg_visible_in_snapshot(r.xid::text::xid8, ${q(window.after)}::pg_snapshot)`);
    conditions.push(`pg_visible_in_snapshot(r.xid::text::xid8, ${q(window.upTo)}::pg_snapshot)`);
  }
  return conditions.length ? `where ${conditions.join(' and ')}` : '';
}

export function exportSelect(
  format: 'csv' | 'ndjson',
  filters: ExportFilters,
  window?: SnapshotWindow,
  range?: SensorRange,
): string {
  const from = `from sensor_readings r left join sensors s on s.sensor_id = r.sensor_id ${exportWhere(filters, window, range)} order by r.sensor_id, r.ts`;
  if (format === 'csv')
    return `select r.sensor_id, s.sensor_type, r.value, s.unit, ${isoUtc} as "timestamp", r.quality ${from}`;
  return `select json_build_object('sensor_id', r.sensor_id, 'sensor_type', s.sensor_type, 'value', r.value, 'unit', s.unit, 'timestamp', ${isoUtc}, 'quality', r.quality)::text ${from}`;
}

/**
 * The COPY statement. NDJSON goes through CSV mode with delimiter and quote set
 * to control characters that json never contains unescaped, so each JSON text
 * comes out verbatim (text mode would double its backslashes).
 */
export function exportCopy(
  format: 'csv' | 'ndjson',
  filters: ExportFilters,
  window?: SnapshotWindow,
  header = true,
  range?: SensorRange,
): string {
  const select = exportSelect(format, filters, window, range);
  if (format === 'csv') return `copy (${select}) to stdout with (format csv${header ? ', header' : ''})`;
  return `copy (${select}) to stdout with (format csv, delimiter e'\\x1f', quote e'\\x1e')`;
}

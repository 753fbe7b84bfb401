import type { Queryable } from '../db.js';
import { instantLiteral, sqlLiteral } from '../sql-literal.js';

/**
 * The export's statements on sensor_readings (joined with sensors), built as
 * text because COPY (query) TO STDOUT takes no bind parameters: every value is
 * quoted with the driver's escaping (sql-literal.ts). The column order is the
 * seed's (`sensor_id,sensor_type,value,unit,timestamp,quality`), timestamps
 * are UTC ISO-8601 with microseconds (lossless), rows ordered by sensor then time.
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

/** A half-open range of sensor ids, [from, to); an absent end is unbounded (one part of a parallel export). */
export interface SensorRange {
  from?: string;
  to?: string;
}

export const exportColumns = ['sensor_id', 'sensor_type', 'value', 'unit', 'timestamp', 'quality'] as const;

const isoUtc = `to_char(r.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function exportWhere(filters: ExportFilters, window?: SnapshotWindow, range?: SensorRange): string {
  const conditions: string[] = [];
  // One part of an export split by sensor (parallel-copy.ts); compared with the column's collation, as ORDER BY sorts.
  if (range?.from !== undefined) conditions.push(`r.sensor_id >= ${sqlLiteral(range.from)}`);
  if (range?.to !== undefined) conditions.push(`r.sensor_id < ${sqlLiteral(range.to)}`);
  if (filters.sinceMs !== undefined) conditions.push(`r.ts >= ${instantLiteral(filters.sinceMs)}`);
  if (filters.untilMs !== undefined) conditions.push(`r.ts < ${instantLiteral(filters.untilMs)}`);
  if (filters.sensors?.length) conditions.push(`r.sensor_id in (${filters.sensors.map(sqlLiteral).join(', ')})`);
  if (window) {
    // xid >= xmin(after) is the index-friendly (BRIN on xid) pre-filter; the visibility
    // tests are the exact rule. Rows of transactions that aborted are invisible anyway.
    const after = sqlLiteral(window.after);
    conditions.push(`r.xid >= pg_snapshot_xmin(${after}::pg_snapshot)::text::bigint`);
    conditions.push(`not pg_visible_in_snapshot(r.xid::text::xid8, ${after}::pg_snapshot)`);
    conditions.push(`pg_visible_in_snapshot(r.xid::text::xid8, ${sqlLiteral(window.upTo)}::pg_snapshot)`);
  }
  return conditions.length ? `where ${conditions.join(' and ')}` : '';
}

const fromReadings = (filters: ExportFilters, window?: SnapshotWindow, range?: SensorRange) =>
  `from sensor_readings r left join sensors s on s.sensor_id = r.sensor_id ${exportWhere(filters, window, range)} order by r.sensor_id, r.ts`;

export function exportSelect(
  format: 'csv' | 'ndjson',
  filters: ExportFilters,
  window?: SnapshotWindow,
  range?: SensorRange,
): string {
  const from = fromReadings(filters, window, range);
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

/** The rows an export of this selection gives. */
export async function countExportRows(db: Queryable, filters: ExportFilters, window?: SnapshotWindow): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::bigint as n from (${exportSelect('csv', filters, window)}) x`,
  );
  return rows[0]!.n;
}

/** One exported row as the Parquet writer reads it: the timestamp as epoch microseconds in text (a bigint). */
export interface ExportRow {
  sensor_id: string;
  sensor_type: string | null;
  value: number;
  unit: string | null;
  ts_us: string;
  quality: number;
}

/** Declares a cursor over the export's rows (call inside a transaction); fetch with fetchExportRows. */
export async function declareExportCursor(
  db: Queryable,
  cursor: string,
  filters: ExportFilters,
  window?: SnapshotWindow,
): Promise<void> {
  const select = `select r.sensor_id, s.sensor_type, r.value, s.unit,
      ((extract(epoch from r.ts) * 1000000)::bigint)::text as ts_us, r.quality
    ${fromReadings(filters, window)}`;
  await db.query(`declare ${cursor} no scroll cursor for ${select}`);
}

export async function fetchExportRows(db: Queryable, cursor: string, count: number): Promise<ExportRow[]> {
  const { rows } = await db.query<ExportRow & Record<string, unknown>>(`fetch forward ${count} from ${cursor}`);
  return rows;
}

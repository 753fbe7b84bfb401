import type { Writable } from 'node:stream';
import type { Db } from '../db/db.js';
import { exportCopy, type ExportFilters } from './export-query.js';
import { writeFileAtomically } from './atomic-file.js';

export type ExportFormat = 'csv' | 'ndjson';

export interface ExportSummary {
  rows: number;
  output: string;
  format: ExportFormat;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * A one-off export through COPY TO, streamed: to a stream (stdout), or to a
 * file that is never left half-written (temporary file, fsync, rename).
 */
export async function runExport(
  db: Db,
  options: { format: ExportFormat; filters: ExportFilters; output: string | Writable },
): Promise<ExportSummary> {
  const started = performance.now();
  const sql = exportCopy(options.format, options.filters);
  let rows: number;
  if (typeof options.output === 'string') {
    const target = options.output;
    ({ result: rows } = await writeFileAtomically(target, (out) => db.withClient((c) => c.copyTo(sql, out))));
  } else {
    const sink = options.output;
    rows = await db.withClient((c) => c.copyTo(sql, sink, { end: false }));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    rows,
    output: typeof options.output === 'string' ? options.output : '-',
    format: options.format,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(rows / Math.max(seconds, 1e-9)),
  };
}

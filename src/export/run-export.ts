import type { Writable } from 'node:stream';
import type { Db } from '../db/db.js';
import { exportCopy, type ExportFilters } from './export-query.js';
import { writeFileAtomically } from './atomic-file.js';
import { copyToParquet } from './parquet-export.js';

export type ExportFormat = 'csv' | 'ndjson' | 'parquet';

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
  const { format, filters } = options;
  const copy = (out: Writable, end: boolean) => db.withClient((c) =>
    format === 'parquet' ? copyToParquet(c, out, filters) : c.copyTo(exportCopy(format, filters), out, { end }));
  let rows: number;
  if (typeof options.output === 'string') ({ result: rows } = await writeFileAtomically(options.output, (out) => copy(out, true)));
  else rows = await copy(options.output, false);
  const seconds = (performance.now() - started) / 1000;
  return {
    rows,
    output: typeof options.output === 'string' ? options.output : '-',
    format: options.format,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(rows / Math.max(seconds, 1e-9)),
  };
}

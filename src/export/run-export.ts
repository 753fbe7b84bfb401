import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../db/db.js';
import type { ExportFilters } from '../db/queries/sensor-readings-export.js';
import { writeStreamAtomic } from '../integrity/atomic-write.js';
import { copyPartsInOrder } from './parallel-copy.js';
import { exportParts } from './sensor-ranges.js';
import { removeLeftovers } from './temporary-files.js';
import type { Logger } from '../log.js';

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
 * file that is never left half-written (temporary file, fsync, rename). CSV
 * and NDJSON exports of more than 100,000 rows are cut into up to `workers`
 * sensor ranges copied at once in one snapshot (parallel-copy.ts); the pool
 * needs that many connections.
 */
export async function runExport(
  db: Db,
  options: {
    format: ExportFormat;
    filters: ExportFilters;
    output: string | Writable;
    workers?: number;
    /** The smallest part worth its own connection (default 100,000 rows; tests lower it). */
    rowsPerPart?: number;
    /** Ctrl-C / SIGTERM: the COPY is cancelled within a second and no file is left (the reason is thrown). */
    signal?: AbortSignal | undefined;
    logger?: Logger;
  },
): Promise<ExportSummary> {
  const started = performance.now();
  const { format, filters, signal } = options;
  const spoolDir = typeof options.output === 'string' ? path.dirname(options.output) : os.tmpdir();
  const removed = await removeLeftovers(spoolDir);
  if (removed.length) options.logger?.info({ dir: spoolDir, removed }, 'removed files left by killed exports');
  const copy = async (out: Writable, end: boolean) => {
    if (format === 'parquet') {
      const { copyToParquet } = await import('./parquet-export.js'); // hyparquet-writer only for Parquet
      return db.withClient((c) => copyToParquet(c, out, filters, undefined, { signal }));
    }
    const statements = await exportParts(db, format, filters, options.workers ?? 1, {
      rowsPerPart: options.rowsPerPart,
    });
    return copyPartsInOrder(db, statements, out, { spoolDir, end, signal });
  };
  let rows: number;
  if (typeof options.output === 'string')
    ({ result: rows } = await writeStreamAtomic(options.output, (out) => copy(out, true)));
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

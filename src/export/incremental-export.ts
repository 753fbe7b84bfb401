import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Db, DbClient } from '../db/db.js';
import { SmxError, usageError } from '../errors.js';
import { countExportRows, type ExportFilters } from '../db/queries/sensor-readings-export.js';
import {
  finishExportRun,
  lockExportState,
  openExportState,
  readExportState,
  startExportRun,
  unlockExportState,
} from '../db/queries/export-watermarks.js';
import { copyPartsInOrder } from './parallel-copy.js';
import { exportParts } from './sensor-ranges.js';
import { writeStreamAtomic } from '../integrity/atomic-write.js';
import type { ExportFormat } from './run-export.js';
import { removeLeftovers } from './temporary-files.js';
import type { Logger } from '../log.js';

/**
 * Incremental export, exactly once, by transaction snapshots rather than
 * timestamps (readings arrive late and ingests commit out of order, so no
 * timestamp watermark is safe). Each row carries the id of the transaction
 * that wrote it; a run exports the rows visible in a new snapshot and not in
 * the previous one, then stores the new snapshot.
 *
 * One new file per run, `<state>-<run number>.<ext>` in the output folder.
 * Crash safety, step by step:
 *   1. record the run as pending (snapshot + file name), committed;
 *   2. write the file: temporary name, fsync, rename;
 *   3. advance the watermark to the pending snapshot, clear pending.
 * A run that finds a pending entry finishes it first: the file exists → only
 * step 3; it does not → steps 2–3 again, with the same rows (the window is
 * fixed by the two stored snapshots) into the same name. Nothing is lost or repeated.
 */
export interface IncrementalOptions {
  state: string;
  directory: string;
  format: ExportFormat;
  filters: ExportFilters;
  /** Connections copying parts of a large run at once (besides the one holding the state lock); default 1. */
  workers?: number;
  /** The smallest part worth its own connection (default 100,000 rows; tests lower it). */
  rowsPerPart?: number;
  /** For crash tests: called after the file is renamed into place, before the watermark moves. */
  afterFileWritten?(file: string): Promise<void>;
  /** Ctrl-C / SIGTERM: the COPY is cancelled and no file is left; the pending run is finished by the next one. */
  signal?: AbortSignal | undefined;
  logger?: Logger;
}

export interface IncrementalRun {
  run: number;
  rows: number;
  /** Null when the run had no rows (no empty file is written). */
  output: string | null;
  recovered: boolean;
}

export interface IncrementalSummary {
  state: string;
  rows: number;
  runs: IncrementalRun[];
  seconds: number;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export async function runIncrementalExport(db: Db, options: IncrementalOptions): Promise<IncrementalSummary> {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(options.state))
    throw usageError('--state must be 1–100 letters, digits, dots, dashes or underscores (it names the files).');
  const started = performance.now();
  const removed = await removeLeftovers(options.directory);
  if (removed.length) options.logger?.info({ dir: options.directory, removed }, 'removed files left by killed exports');
  return db.withClient(async (session) => {
    if (!(await lockExportState(session, options.state)))
      throw new SmxError('CONFLICT', `Another incremental export of state ${options.state} is running.`);
    try {
      const filters = JSON.stringify(options.filters);
      const state = await openExportState(session, options.state, filters);
      if (state.filters !== null && JSON.stringify(state.filters) !== JSON.stringify(JSON.parse(filters))) {
        throw usageError(
          `State ${options.state} was created with other filters (${JSON.stringify(state.filters)}); an incremental state must keep its filters.`,
          {
            hint: 'Use another --state name for a different selection.',
          },
        );
      }
      const runs: IncrementalRun[] = [];
      if (state.pendingSnapshot && state.pendingOutput) {
        runs.push(
          await completeRun(
            db,
            session,
            options,
            state.snapshot,
            state.pendingSnapshot,
            state.pendingOutput,
            state.runs + 1,
            true,
          ),
        );
      }
      const current = await readExportState(session, options.state);
      const run = current.runs + 1;
      const name = `${options.state}-${String(run).padStart(6, '0')}.${options.format}`;
      const upTo = await startExportRun(session, options.state, name);
      runs.push(await completeRun(db, session, options, current.snapshot, upTo, name, run, false));
      return {
        state: options.state,
        rows: runs.reduce((sum, r) => sum + r.rows, 0),
        runs,
        seconds: Math.round(performance.now() - started) / 1000,
      };
    } finally {
      await unlockExportState(session, options.state).catch(() => undefined);
    }
  });
}

/** Steps 2–3 for the window (after, upTo]: write the file unless it is already in place, then advance. */
async function completeRun(
  db: Db,
  session: DbClient,
  options: IncrementalOptions,
  after: string,
  upTo: string,
  name: string,
  run: number,
  recovering: boolean,
): Promise<IncrementalRun> {
  const target = path.join(options.directory, name);
  let rows: number;
  let written: boolean;
  if (recovering && (await exists(target))) {
    // The previous run renamed its file into place and died before advancing: count it, do not rewrite it.
    rows = await countExportRows(session, options.filters, { after, upTo });
    written = true;
  } else {
    const window = { after, upTo };
    const outcome = await writeStreamAtomic(
      target,
      async (out) => {
        if (options.format === 'parquet') {
          const { copyToParquet } = await import('./parquet-export.js'); // hyparquet-writer only for Parquet
          return copyToParquet(session, out, options.filters, window, { signal: options.signal });
        }
        // Parts run on connections of their own; the window (two stored snapshots) fixes the rows whatever they see.
        const statements = await exportParts(session, options.format, options.filters, options.workers ?? 1, {
          window,
          rowsPerPart: options.rowsPerPart,
        });
        if (statements.length === 1) return session.copyTo(statements[0]!, out, { signal: options.signal });
        return copyPartsInOrder(db, statements, out, {
          spoolDir: options.directory,
          end: true,
          signal: options.signal,
        });
      },
      (n) => n > 0,
    );
    rows = outcome.result;
    written = outcome.kept;
    if (written) await options.afterFileWritten?.(target);
  }
  await finishExportRun(session, options.state, rows, written ? name : null);
  return { run, rows, output: written ? target : null, recovered: recovering };
}

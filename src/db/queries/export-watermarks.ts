import type { DbClient, Queryable } from '../db.js';

/**
 * Statements on export_watermarks: one row per incremental export state, the
 * snapshot exported up to and the run in progress (export/incremental-export.ts
 * says how the steps make a run exactly-once).
 */
export interface ExportState {
  /** Rows written by transactions visible in this snapshot have been exported. */
  snapshot: string;
  /** The run in progress: the snapshot it exports up to and its file name. */
  pendingSnapshot: string | null;
  pendingOutput: string | null;
  runs: number;
  filters: unknown;
}

/** A snapshot in which nothing is visible: the starting point of a new state. */
const emptySnapshot = '1:1:';

/** A session lock on the state's name (released with unlockExportState or when the connection ends); false when another run holds it. */
export async function lockExportState(session: DbClient, state: string): Promise<boolean> {
  const { rows } = await session.query<{ ok: boolean }>(
    `select pg_try_advisory_lock(hashtextextended('smx-export:' || $1, 0)) as ok`,
    [state],
  );
  return rows[0]?.ok === true;
}

export async function unlockExportState(session: DbClient, state: string): Promise<void> {
  await session.query(`select pg_advisory_unlock(hashtextextended('smx-export:' || $1, 0))`, [state]);
}

/** Creates the state (nothing exported yet, these filters) unless it exists, then reads it. Two round trips. */
export async function openExportState(db: Queryable, state: string, filters: string): Promise<ExportState> {
  await db.query(
    `insert into export_watermarks (state_name, snapshot, filters) values ($1, $2::pg_snapshot, $3) on conflict (state_name) do nothing`,
    [state, emptySnapshot, filters],
  );
  return readExportState(db, state);
}

export async function readExportState(db: Queryable, state: string): Promise<ExportState> {
  const { rows } = await db.query<ExportState & Record<string, unknown>>(
    `select snapshot::text as snapshot, pending_snapshot::text as "pendingSnapshot", pending_output as "pendingOutput", runs, filters
     from export_watermarks where state_name = $1`,
    [state],
  );
  return rows[0]!;
}

/** Records a new run as pending, up to the current snapshot, writing `output`; returns that snapshot. */
export async function startExportRun(db: Queryable, state: string, output: string): Promise<string> {
  const { rows } = await db.query<{ upto: string }>(
    `update export_watermarks set pending_snapshot = pg_current_snapshot(), pending_output = $2 where state_name = $1 returning pending_snapshot::text as upto`,
    [state, output],
  );
  return rows[0]!.upto;
}

/** Advances the watermark to the pending snapshot and clears the pending run; `output` null when no file was written. */
export async function finishExportRun(
  db: Queryable,
  state: string,
  rowsExported: number,
  output: string | null,
): Promise<void> {
  await db.query(
    `update export_watermarks set snapshot = pending_snapshot, pending_snapshot = null, pending_output = null,
       runs = runs + 1, rows_exported = rows_exported + $2, last_output = coalesce($3, last_output), updated_at = now()
     where state_name = $1`,
    [state, rowsExported, output],
  );
}

import type { Queryable } from '../db.js';

/** Statements on drift_checks: one row per stored drift check (or timeline chunk), its report as jsonb. */
export interface NewDriftCheck {
  /** What was compared: "sensors:a,b", "sensor-type:vibration", "csv:ref.csv|cur.csv". */
  subject: string;
  referenceDesc: string;
  currentDesc: string;
  drifted: boolean;
  shareDrifted: number;
  /** The report as JSON text (drift's reportJson: no typed arrays, no NaN). */
  reportJson: string;
  /** The current window, when it is a time window. */
  windowFrom?: Date;
  windowTo?: Date;
}

/** Stores one check; returns its id. */
export async function insertDriftCheck(db: Queryable, check: NewDriftCheck): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into drift_checks (subject, reference_desc, current_desc, drifted, share_drifted, report, window_from, window_to)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) returning id`,
    [
      check.subject,
      check.referenceDesc,
      check.currentDesc,
      check.drifted,
      check.shareDrifted,
      check.reportJson,
      check.windowFrom ?? null,
      check.windowTo ?? null,
    ],
  );
  return rows[0]!.id;
}

export interface NewTimelineChunk {
  windowFrom: Date;
  windowTo: Date;
  referenceDesc: string;
  drifted: boolean;
  shareDrifted: number;
  reportJson: string;
}

/**
 * Stores a batch of one timeline run's chunks (kind 'timeline-chunk') in one
 * statement; returns their ids in order.
 */
export async function insertTimelineChunks(
  db: Queryable,
  runId: string,
  subject: string,
  chunks: readonly NewTimelineChunk[],
): Promise<number[]> {
  if (chunks.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `insert into drift_checks (kind, run_id, subject, reference_desc, current_desc, drifted, share_drifted, report, window_from, window_to)
     select 'timeline-chunk', $1::uuid, $2, r, f::text || '..' || t::text, d, s, j::jsonb, f, t
     from unnest($3::text[], $4::boolean[], $5::float8[], $6::text[], $7::timestamptz[], $8::timestamptz[])
       with ordinality as u(r, d, s, j, f, t, i)
     order by i
     returning id`,
    [
      runId,
      subject,
      chunks.map((c) => c.referenceDesc),
      chunks.map((c) => c.drifted),
      chunks.map((c) => c.shareDrifted),
      chunks.map((c) => c.reportJson),
      chunks.map((c) => c.windowFrom),
      chunks.map((c) => c.windowTo),
    ],
  );
  return rows.map((r) => r.id);
}

export interface StoredChunk {
  id: number;
  windowFrom: Date;
  windowTo: Date;
  drifted: boolean;
  shareDrifted: number;
}

/** One timeline run's chunks in time order (without their reports). */
export async function timelineChunks(db: Queryable, runId: string): Promise<StoredChunk[]> {
  const { rows } = await db.query<{
    id: number;
    window_from: Date;
    window_to: Date;
    drifted: boolean;
    share_drifted: number;
  }>(
    `select id, window_from, window_to, drifted, share_drifted from drift_checks
      where run_id = $1::uuid order by window_from, id`,
    [runId],
  );
  return rows.map((r) => ({
    id: r.id,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    drifted: r.drifted,
    shareDrifted: r.share_drifted,
  }));
}

/**
 * The effects recorded by the latest `limit` checks of one calibration key
 * whose window ended by `before`, oldest first (report.calibration.effects).
 */
export async function recentCalibrationEffects(
  db: Queryable,
  key: string,
  before: Date,
  limit: number,
): Promise<Array<{ effects: Record<string, { wasserstein: number; spread: number; flagged: boolean }> }>> {
  const { rows } = await db.query<{
    effects: Record<string, { wasserstein: number; spread: number; flagged: boolean }>;
  }>(
    `select effects from (
       select report -> 'calibration' -> 'effects' as effects, window_to, id from drift_checks
        where report ? 'calibration' and report -> 'calibration' ->> 'key' = $1 and window_to <= $2
        order by window_to desc, id desc limit $3) recent
      order by window_to, id`,
    [key, before, limit],
  );
  return rows;
}

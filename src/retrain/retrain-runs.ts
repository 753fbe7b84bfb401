/**
 * retrain_runs: one row per run (skips included, with their reason). The
 * cooldown is read from here, so it holds across restarts and machines.
 *
 * A run whose process died (kill -9, a lost machine) stays 'running': its
 * model's advisory lock went with its connection, so whoever next holds that
 * lock knows no such run is alive and marks it failed (orphaned), which also
 * lets its event be retried.
 */
import type { Queryable } from '../db/db.js';
import type { DataWindow, EvaluationMetrics, RetrainStatus, RetrainTrigger } from './types.js';

/**
 * Statuses that start a cooldown. A failed run does not: it changed nothing,
 * and the next drift event should be able to try again (a broken pipeline is
 * announced on every failure instead of being silenced for a day).
 */
const cooling: readonly string[] = ['running', 'promoted', 'rejected'];

export async function lastRunStarts(db: Queryable, models: readonly string[]): Promise<Map<string, Date>> {
  if (models.length === 0) return new Map();
  const { rows } = await db.query<{ model_name: string; started_at: Date }>(
    `select model_name, max(started_at) as started_at from retrain_runs
      where model_name = any($1::text[]) and status = any($2::text[]) group by model_name`,
    [models, cooling],
  );
  return new Map(rows.map((r) => [r.model_name, r.started_at]));
}

/**
 * A run of `model` for this event that ended promoted or rejected, or is
 * running (a redelivered event is not retrained twice); a failed one does not
 * count, so the event can be retried.
 */
export async function runForEvent(
  db: Queryable,
  model: string,
  eventId: string,
): Promise<{ id: number; status: string } | undefined> {
  const { rows } = await db.query<{ id: number; status: string }>(
    `select id, status from retrain_runs where model_name = $1 and event_id = $2 and status not in ('skipped', 'failed') order by id limit 1`,
    [model, eventId],
  );
  return rows[0];
}

/** Models with a run still marked running. */
export async function modelsWithRunningRuns(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ model_name: string }>(
    `select distinct model_name from retrain_runs where status = 'running' order by model_name`,
  );
  return rows.map((r) => r.model_name);
}

/**
 * Marks the model's runs still 'running' as failed (orphaned). Call only
 * while holding the model's lock: then no such run can be alive. Returns the
 * ids marked.
 */
export async function failOrphanedRuns(db: Queryable, model: string, reason: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `update retrain_runs set status = 'failed', reason = $2, finished_at = now()
      where model_name = $1 and status = 'running' returning id`,
    [model, reason],
  );
  return rows.map((r) => r.id);
}

/**
 * `startedAt` comes from the run's clock, the same one the cooldown is judged
 * by; `owner` (host and pid) and `leaseUntil` (when its time limit ends it)
 * say who runs it and until when it can be alive.
 */
export async function startRun(
  db: Queryable,
  model: string,
  trigger: RetrainTrigger,
  window: DataWindow,
  championVersion: string | undefined,
  startedAt: Date,
  owner?: { name: string; leaseUntil: Date },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into retrain_runs (model_name, trigger, event_id, status, data_window, champion_version, started_at, owner, lease_until)
     values ($1, $2, $3, 'running', $4::jsonb, $5, $6, $7, $8) returning id`,
    [
      model,
      trigger.kind,
      trigger.eventId ?? null,
      JSON.stringify({ ...window, sensors: trigger.sensorIds ?? [] }),
      championVersion ?? null,
      startedAt,
      owner?.name ?? null,
      owner?.leaseUntil ?? null,
    ],
  );
  return rows[0]!.id;
}

export interface FinishedRun {
  status: Exclude<RetrainStatus, 'skipped'>;
  reason: string;
  challengerVersion?: string;
  championMetrics?: EvaluationMetrics;
  challengerMetrics?: EvaluationMetrics;
}

export async function finishRun(db: Queryable, id: number, run: FinishedRun): Promise<void> {
  await db.query(
    `update retrain_runs set status = $2, reason = $3, challenger_version = $4, champion_metrics = $5::jsonb,
            challenger_metrics = $6::jsonb, finished_at = now()
      where id = $1`,
    [
      id,
      run.status,
      run.reason,
      run.challengerVersion ?? null,
      run.championMetrics ? JSON.stringify(run.championMetrics) : null,
      run.challengerMetrics ? JSON.stringify(run.challengerMetrics) : null,
    ],
  );
}

export async function recordSkip(
  db: Queryable,
  model: string,
  trigger: RetrainTrigger,
  reason: string,
  at: Date,
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into retrain_runs (model_name, trigger, event_id, status, data_window, reason, started_at, finished_at)
     values ($1, $2, $3, 'skipped', $4::jsonb, $5, $6, $6) returning id`,
    [model, trigger.kind, trigger.eventId ?? null, JSON.stringify({ sensors: trigger.sensorIds ?? [] }), reason, at],
  );
  return rows[0]!.id;
}

export interface RetrainRunRow {
  id: number;
  model_name: string;
  trigger: string;
  event_id: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  champion_version: string | null;
  challenger_version: string | null;
  reason: string | null;
}

export async function recentRuns(
  db: Queryable,
  options: { model?: string; limit?: number } = {},
): Promise<RetrainRunRow[]> {
  const { rows } = await db.query<RetrainRunRow & Record<string, unknown>>(
    `select id, model_name, trigger, event_id, status, started_at, finished_at, champion_version, challenger_version, reason
       from retrain_runs where ($1::text is null or model_name = $1) order by id desc limit $2`,
    [options.model ?? null, options.limit ?? 20],
  );
  return rows;
}

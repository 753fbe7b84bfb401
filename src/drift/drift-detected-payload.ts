/**
 * The `drift.detected` event, shaped like the seed's DriftDetectedEvent so its
 * consumers can read it: {event_type, sensor_id, drift_score, threshold,
 * timestamp, correlation_id}. smx adds what a retrain planner needs: every
 * drifted sensor, the test, whether the score is a p-value or a distance (the
 * seed put a p-value in drift_score without saying so), and the drift_checks
 * row the report lives in. Pure.
 */
import type { ColumnDriftResult, DriftReport } from '../drift/types.js';

/**
 * Consumer groups that must receive every drift.detected, even one published
 * before their first consumer ever started: the publisher declares them, so the
 * first `smx drift --emit` does not go unheard by a `smx retrain --watch` that
 * starts later (a group only receives events published after it exists).
 */
export const driftDetectedGroups: readonly string[] = ['retrain'];

export interface DriftDetectedPayload {
  event_type: 'DriftDetectedEvent';
  /** The most drifted sensor (column). */
  sensor_id: string;
  /** Every drifted sensor, most drifted first. */
  sensor_ids: string[];
  drift_score: number;
  threshold: number;
  score_kind: 'p-value' | 'distance';
  test: string;
  share_drifted: number;
  timestamp: string;
  correlation_id: string;
  drift_check_id: number | null;
  subject: string;
  reference: string;
  current: string;
}

/** How far past its threshold a column is (> 1 is drift): threshold/p for p-values, distance/threshold otherwise. */
export function driftSeverity(column: ColumnDriftResult): number {
  if (column.score === null) return column.drifted ? Number.POSITIVE_INFINITY : 0;
  if (column.scoreKind === 'p-value')
    return column.score === 0 ? Number.POSITIVE_INFINITY : column.threshold / column.score;
  return column.threshold === 0 ? Number.POSITIVE_INFINITY : column.score / column.threshold;
}

export interface DriftEventContext {
  subject: string;
  reference: string;
  current: string;
  correlationId: string;
  driftCheckId: number | null;
  now: Date;
}

/** The event for a report with drift, or undefined when no column drifted. */
export function driftDetectedPayload(
  report: DriftReport,
  context: DriftEventContext,
): DriftDetectedPayload | undefined {
  const drifted = report.columns.filter((c) => c.drifted).sort((a, b) => driftSeverity(b) - driftSeverity(a));
  const top = drifted[0];
  if (!top) return undefined;
  return {
    event_type: 'DriftDetectedEvent',
    sensor_id: top.column,
    sensor_ids: drifted.map((c) => c.column),
    drift_score: top.score ?? Number.NaN,
    threshold: top.threshold,
    score_kind: top.scoreKind,
    test: top.test,
    share_drifted: report.shareDrifted,
    timestamp: context.now.toISOString(),
    correlation_id: context.correlationId,
    drift_check_id: context.driftCheckId,
    subject: context.subject,
    reference: context.reference,
    current: context.current,
  };
}

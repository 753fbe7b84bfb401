/**
 * A drift report as the payload of `drift.detected` (its schema, shared with
 * the consumers, is events/drift-detected.ts): the most drifted column first,
 * every drifted column, and the score with its kind. Pure.
 */
import type { DriftDetectedPayload } from '../events/drift-detected.js';
import type { ColumnDriftResult, DriftReport } from './types.js';

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

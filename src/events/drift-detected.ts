/**
 * The `drift.detected` event's payload, shaped like the seed's
 * DriftDetectedEvent so its consumers can read it: {event_type, sensor_id,
 * drift_score, threshold, timestamp, correlation_id}. smx adds what a retrain
 * planner needs: every drifted sensor, the test, whether the score is a
 * p-value or a distance (the seed put a p-value in drift_score without saying
 * so), and the drift_checks row the report lives in. The publisher's mapping
 * from a drift report is drift/drift-detected-payload.ts; this file is the
 * contract between publisher and consumers and imports neither.
 */

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

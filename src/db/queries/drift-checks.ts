import type { Queryable } from '../db.js';

/** Statements on drift_checks: one row per stored drift check, its report as jsonb. */
export interface NewDriftCheck {
  /** What was compared: "sensors:a,b", "sensor-type:vibration", "csv:ref.csv|cur.csv". */
  subject: string;
  referenceDesc: string;
  currentDesc: string;
  drifted: boolean;
  shareDrifted: number;
  /** The report as JSON text (drift's reportJson: no typed arrays, no NaN). */
  reportJson: string;
}

/** Stores one check; returns its id. */
export async function insertDriftCheck(db: Queryable, check: NewDriftCheck): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into drift_checks (subject, reference_desc, current_desc, drifted, share_drifted, report)
     values ($1, $2, $3, $4, $5, $6::jsonb) returning id`,
    [check.subject, check.referenceDesc, check.currentDesc, check.drifted, check.shareDrifted, check.reportJson],
  );
  return rows[0]!.id;
}

/**
 * Stores one drift check in drift_checks and, when asked and drift was found,
 * publishes `drift.detected`. On the Postgres bus both happen in one
 * transaction (the event exists if and only if the row does); on Redis the
 * event follows the commit.
 */
import type { Db, Queryable } from '../db/db.js';
import { insertDriftCheck } from '../db/queries/drift-checks.js';
import type { EventBus, SmxEvent } from '../events/event-bus.js';
import { EventTypes } from '../events/event-bus.js';
import { driftDetectedGroups, type DriftDetectedPayload } from '../events/drift-detected.js';
import { driftDetectedPayload } from './drift-detected-payload.js';
import type { DriftReport } from './types.js';

export interface DriftCheckRecord {
  /** What was compared: "sensors:a,b", "sensor-type:vibration", "csv:ref.csv|cur.csv". */
  subject: string;
  referenceDesc: string;
  currentDesc: string;
  report: DriftReport;
  correlationId: string;
  /** When the check ran (the event's timestamp). */
  now: Date;
}

export interface RecordedDriftCheck {
  id: number;
  event?: SmxEvent<DriftDetectedPayload>;
}

/** JSON for jsonb: typed arrays as plain arrays; NaN and ±Infinity as null (JSON has neither). */
export function reportJson(report: DriftReport): string {
  return JSON.stringify(report, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView))
      return Array.from(value as unknown as ArrayLike<number>);
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value;
  });
}

export async function recordDriftCheck(
  db: Db,
  bus: EventBus | undefined,
  record: DriftCheckRecord,
): Promise<RecordedDriftCheck> {
  const now = record.now;
  const insert = (client: Queryable) =>
    insertDriftCheck(client, {
      subject: record.subject,
      referenceDesc: record.referenceDesc,
      currentDesc: record.currentDesc,
      drifted: record.report.datasetDrift,
      shareDrifted: record.report.shareDrifted,
      reportJson: reportJson(record.report),
    });
  const payloadFor = (id: number) =>
    record.report.datasetDrift
      ? driftDetectedPayload(record.report, {
          subject: record.subject,
          reference: record.referenceDesc,
          current: record.currentDesc,
          correlationId: record.correlationId,
          driftCheckId: id,
          now,
        })
      : undefined;

  if (bus && record.report.datasetDrift) {
    for (const group of driftDetectedGroups) await bus.ensureGroup(group, [EventTypes.driftDetected]);
  }
  if (bus?.kind === 'postgres') {
    return db.transaction(async (client) => {
      const id = await insert(client);
      const payload = payloadFor(id);
      const event = payload ? await bus.publish(EventTypes.driftDetected, payload, { client }) : undefined;
      return { id, event };
    });
  }
  const id = await insert(db);
  const payload = bus ? payloadFor(id) : undefined;
  const event = payload && bus ? await bus.publish(EventTypes.driftDetected, payload) : undefined;
  return { id, event };
}

/**
 * Stores one drift check in drift_checks and, when asked and drift was found,
 * publishes `drift.detected`. On the Postgres bus both happen in one
 * transaction (the event exists if and only if the row does); on Redis the
 * event follows the commit.
 */
import type { Db } from '../../db/db.js';
import type { EventBus, SmxEvent } from '../../events/event-bus.js';
import { EventTypes } from '../../events/event-bus.js';
import {
  driftDetectedGroups,
  driftDetectedPayload,
  type DriftDetectedPayload,
} from '../../events/drift-detected-event.js';
import type { DriftReport } from '../types.js';

export interface DriftCheckRecord {
  /** What was compared: "sensors:a,b", "sensor-type:vibration", "csv:ref.csv|cur.csv". */
  subject: string;
  referenceDesc: string;
  currentDesc: string;
  report: DriftReport;
  correlationId: string;
  now?: Date;
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
  const now = record.now ?? new Date();
  const insert = async (client: { query: Db['query'] }) => {
    const { rows } = await client.query<{ id: number }>(
      `insert into drift_checks (subject, reference_desc, current_desc, drifted, share_drifted, report)
       values ($1, $2, $3, $4, $5, $6::jsonb) returning id`,
      [
        record.subject,
        record.referenceDesc,
        record.currentDesc,
        record.report.datasetDrift,
        record.report.shareDrifted,
        reportJson(record.report),
      ],
    );
    return rows[0]!.id;
  };
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

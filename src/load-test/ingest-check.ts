import type { Db, Queryable } from '../db/db.js';
import { countReadingsBetween, countRequestReadings, deleteSensorsReadings } from '../db/queries/load-test-readings.js';
import { INGEST_SENSORS_PER_THREAD, ingestSensorPrefix, type IngestRun } from './scenarios.js';

/**
 * The ingest scenario's end-of-run check, which load generators that count
 * answers only (k6, wrk) cannot make: every reading the server acknowledged
 * (202) is in the database. Each (sensor, timestamp) maps back to the request
 * number that sent it (scenarios.ts), so the check is exact, not a count.
 */

/** What one generator thread wrote: request n was acknowledged when bit n is set. */
export interface IngestWritten {
  thread: number;
  sent: number;
  acknowledged: Uint8Array;
}

export interface IngestVerification {
  sensorPrefix: string;
  database: string;
  acknowledged: number;
  /** Acknowledged readings found in the database. */
  found: number;
  missing: number;
  /** Readings stored whose answer never came (e.g. still in flight at the end): stored, not acknowledged. */
  storedUnacknowledged: number;
  ok: boolean;
}

export interface IngestCleanup {
  sensorPrefix: string;
  readings: number;
  hourlyRows: number;
  sensors: number;
}

export const isAcknowledged = (bits: Uint8Array, n: number) => ((bits[n >> 3] ?? 0) & (1 << (n & 7))) !== 0;

const sensorIds = (run: IngestRun, thread: number) =>
  Array.from({ length: INGEST_SENSORS_PER_THREAD }, (_, k) => `${ingestSensorPrefix(run.runId)}${thread}-${String(k)}`);

export async function verifyIngest(
  db: Queryable,
  run: IngestRun,
  threads: readonly IngestWritten[],
  database: string,
): Promise<IngestVerification> {
  let acknowledged = 0;
  let found = 0;
  let storedUnacknowledged = 0;
  for (const written of threads) {
    const acked: number[] = [];
    const unacked: number[] = [];
    for (let n = 0; n < written.sent; n++) (isAcknowledged(written.acknowledged, n) ? acked : unacked).push(n);
    acknowledged += acked.length;
    if (written.sent === 0) continue;
    const stored = await countReadingsBetween(
      db,
      sensorIds(run, written.thread),
      run.startMs,
      run.startMs + written.sent,
    );
    // Look up whichever list is shorter; the stored count gives the other side.
    const request = {
      sensorPrefix: `${ingestSensorPrefix(run.runId)}${written.thread}-`,
      startMs: run.startMs,
      sensorsPerThread: INGEST_SENSORS_PER_THREAD,
    };
    const lookup = (ns: number[]) => countRequestReadings(db, request, ns);
    if (acked.length <= unacked.length) {
      const ackedFound = await lookup(acked);
      found += ackedFound;
      storedUnacknowledged += stored - ackedFound;
    } else {
      const unackedFound = await lookup(unacked);
      found += stored - unackedFound;
      storedUnacknowledged += unackedFound;
    }
  }
  return {
    sensorPrefix: ingestSensorPrefix(run.runId),
    database,
    acknowledged,
    found,
    missing: acknowledged - found,
    storedUnacknowledged,
    ok: found === acknowledged,
  };
}

/** `--cleanup`: removes the run's readings, their hourly aggregates and sensors, in one transaction. */
export async function cleanupIngest(
  db: Db,
  run: IngestRun,
  threads: ReadonlyArray<Pick<IngestWritten, 'thread' | 'sent'>>,
): Promise<IngestCleanup> {
  const ids = threads.flatMap((t) => sensorIds(run, t.thread));
  const lastMs = run.startMs + Math.max(0, ...threads.map((t) => t.sent));
  const deleted = await db.transaction((client) => deleteSensorsReadings(client, ids, run.startMs, lastMs));
  return { sensorPrefix: ingestSensorPrefix(run.runId), ...deleted };
}

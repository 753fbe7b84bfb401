import type { DbClient, Queryable } from '../db/db.js';
import {
  copyReadings,
  ensureWeekPartitions,
  insertThroughStaging,
  transactionIdAndCollision,
} from '../db/queries/sensor-readings.js';
import { registerSensors } from '../db/queries/sensors.js';
import { hasSqlState } from '../errors.js';
import { CopyBatch, weekStartMs, type SensorInfo } from './copy-batch.js';
import { foldHourly } from './hourly-fold.js';
import { weekPartitions } from './week-partitions.js';
import { readingMicros, type Reading } from './reading.js';

/**
 * Writes validated readings: binary COPY, then insert into sensor_readings
 * skipping rows that already exist (same sensor and timestamp).
 *
 * Three ways in, chosen per batch:
 * - partition: when no stored reading can collide (one index probe per sensor
 *   over that sensor's time range in the batch) and each week's partition is known
 *   (week-partitions.ts), COPY each week's rows straight into its partition
 *   inside a savepoint, and fold the batch's hourly aggregates (computed while
 *   encoding) into sensor_readings_hourly in the same transaction — the
 *   partition COPY does not fire the parent's fold trigger, and unlike a COPY
 *   into the parent it inserts rows in multi-row groups;
 * - direct: the same probe, COPY into sensor_readings (the trigger folds), when
 *   the partitions cannot be used (a hypertable, unexpected triggers or bounds);
 * - staging: COPY into a temporary table, then INSERT … SELECT … ON CONFLICT DO
 *   NOTHING through the parent (the trigger folds exactly the rows inserted).
 *   Also the fallback when either COPY hits a unique violation (a concurrent
 *   writer, or duplicates inside the batch): the savepoint undoes the rows and
 *   the fold together, so nothing is counted twice.
 *
 * Call `writeBatch`/`writeReadings` inside a transaction (they use savepoints);
 * the caller commits, so a server can group several requests into one commit.
 */
export interface WriteResult {
  inserted: number;
  duplicates: number;
  path: 'partition' | 'direct' | 'staging' | 'empty';
}

/** What a long-lived writer has already made sure of, so it is not asked again. */
export interface WriterMemory {
  weeks: Set<number>;
  sensors: Set<string>;
  /** Small-batch inserts left that go straight to ON CONFLICT after one met a stored key (insert-readings.ts). */
  conflictCooldown: number;
}

export function newWriterMemory(): WriterMemory {
  return { weeks: new Set(), sensors: new Set(), conflictCooldown: 0 };
}

/** What a batch needs to exist before its rows can be written: its weeks' partitions and its sensors. */
export interface BatchNeeds {
  readonly weeks: ReadonlySet<number>;
  readonly sensors: ReadonlyMap<string, SensorInfo>;
}

/**
 * Creates the batch's missing weekly partitions and registers its new sensors.
 * Run it outside the data transaction when you can: creating a partition
 * locks sensor_readings exclusively until that transaction ends.
 */
export async function prepareBatch(
  db: Queryable,
  batch: BatchNeeds,
  memory: WriterMemory = newWriterMemory(),
): Promise<void> {
  const weeks = [...batch.weeks].filter((w) => !memory.weeks.has(w));
  if (weeks.length) {
    await ensureWeekPartitions(
      db,
      weeks.map((w) => new Date(weekStartMs(w)).toISOString()),
    );
    for (const w of weeks) memory.weeks.add(w);
  }
  const fresh = [...batch.sensors.keys()].filter((id) => !memory.sensors.has(id)).sort();
  if (fresh.length) {
    await registerSensors(
      db,
      fresh.map((sensorId) => ({ sensorId, ...batch.sensors.get(sensorId)! })),
    );
    // Bounded: a file with millions of distinct sensors must not grow memory without limit.
    if (memory.sensors.size > 200_000) memory.sensors.clear();
    for (const id of fresh) memory.sensors.add(id);
  }
}

async function xidAndCollision(client: DbClient, batch: CopyBatch): Promise<{ xid: number; mayCollide: boolean }> {
  return transactionIdAndCollision(client, batch.sensorRanges(), {
    from: microsToIso(batch.minMicros, 'floor'),
    to: microsToIso(batch.maxMicros, 'ceil'),
  });
}

/** Writes one encoded batch inside the caller's transaction. */
export async function writeBatch(
  client: DbClient,
  batch: CopyBatch,
  options: { memory?: WriterMemory; prepared?: boolean; forceStaging?: boolean } = {},
): Promise<WriteResult> {
  if (batch.rows === 0) return { inserted: 0, duplicates: 0, path: 'empty' };
  if (!options.prepared) await prepareBatch(client, batch, options.memory);
  const { xid, mayCollide } = await xidAndCollision(client, batch);
  batch.setXid(xid);
  const payload = batch.finish();
  if (!options.forceStaging && !mayCollide) {
    const leaves = await weekPartitions(client, batch.weeks);
    if (leaves) {
      const copied = await copyIntoPartitions(client, batch, leaves);
      if (copied !== undefined) return { inserted: copied, duplicates: batch.rows - copied, path: 'partition' };
      return staged(client, batch, payload);
    }
    await client.query('savepoint smx_direct_copy');
    try {
      const copied = await copyReadings(client, payload);
      await client.query('release savepoint smx_direct_copy');
      return { inserted: copied, duplicates: batch.rows - copied, path: 'direct' };
    } catch (error) {
      if (!hasSqlState(error, 'uniqueViolation')) throw error;
      await client.query('rollback to savepoint smx_direct_copy');
    }
  }
  return staged(client, batch, payload);
}

async function staged(client: DbClient, batch: CopyBatch, payload: Buffer): Promise<WriteResult> {
  const inserted = await insertThroughStaging(client, payload);
  return { inserted, duplicates: batch.rows - inserted, path: 'staging' };
}

/**
 * COPY of each week's rows into its partition plus the explicit hourly fold,
 * under one savepoint. Returns the rows copied, or undefined after a unique
 * violation (nothing kept: the caller goes through staging).
 */
async function copyIntoPartitions(
  client: DbClient,
  batch: CopyBatch,
  leaves: Map<number, string>,
): Promise<number | undefined> {
  await client.query('savepoint smx_partition_copy');
  try {
    let copied = 0;
    for (const [week, payload] of batch.weekPayloads()) {
      copied += await copyReadings(client, payload, leaves.get(week)!);
    }
    // A COPY either stores every row or fails, so the aggregates of the whole batch are those of the rows stored.
    if (copied !== batch.rows) throw new Error(`partition COPY stored ${copied} of ${batch.rows} rows`);
    await foldHourly(client, batch.hourly);
    await client.query('release savepoint smx_partition_copy');
    return copied;
  } catch (error) {
    if (!hasSqlState(error, 'uniqueViolation')) throw error;
    await client.query('rollback to savepoint smx_partition_copy');
    return undefined;
  }
}

/** An instant in epoch microseconds as ISO-8601 at millisecond precision, rounded outwards so the range still covers it. */
function microsToIso(micros: number, round: 'floor' | 'ceil'): string {
  return new Date(Math[round](micros / 1000)).toISOString();
}

/**
 * The reusable writer for validated readings (used by `smx serve` with group
 * commit): encodes them, creates partitions and sensors as needed, and inserts
 * them skipping existing (sensor, timestamp) pairs. Call inside a transaction.
 *
 * Pass `prepareWith` (the pool) so that a new week's partition is created in
 * its own short transaction: created inside the caller's transaction it would
 * lock sensor_readings exclusively until that commits, blocking every other writer.
 * Pass a long-lived `memory` so known weeks and sensors are not asked about again.
 */
export async function writeReadings(
  client: DbClient,
  readings: AsyncIterable<Reading> | Iterable<Reading>,
  options: { batchId: number | null; memory?: WriterMemory; prepareWith?: Queryable },
): Promise<{ inserted: number; duplicates: number }> {
  const batch = new CopyBatch(options.batchId ?? 0, 64 * 1024, options.batchId === null);
  for await (const r of readings) {
    batch.add(
      r.sensorId,
      readingMicros(r),
      r.value,
      r.quality ?? 1,
      r.sensorType,
      r.unit,
      r.metadata ? JSON.stringify(r.metadata) : undefined,
    );
  }
  if (options.prepareWith) await prepareBatch(options.prepareWith, batch, options.memory);
  const { inserted, duplicates } = await writeBatch(client, batch, {
    ...(options.memory ? { memory: options.memory } : {}),
    prepared: Boolean(options.prepareWith),
  });
  return { inserted, duplicates };
}

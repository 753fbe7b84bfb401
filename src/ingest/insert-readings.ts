import type { Queryable } from '../db/db.js';
import {
  insertNewReadings,
  insertReadingsSkippingStored,
  type ReadingArrayLiterals,
} from '../db/queries/sensor-readings.js';
import { hasSqlState } from '../errors.js';
import { weekOfMicros, type SensorInfo } from './copy-batch.js';
import { readingMicros, type Reading } from './reading.js';
import { prepareBatch, type WriterMemory } from './write-readings.js';

/**
 * The small-batch writer (`smx serve`'s group commit): one INSERT … SELECT FROM
 * unnest(…), sent as a single statement outside any explicit transaction.
 * PostgreSQL commits it when the statement ends, so a batch costs one round
 * trip and one commit, where the COPY path needs BEGIN, the collision probe,
 * savepoints, the COPY, the hourly fold and COMMIT: seven round trips, which
 * dominate for the tens of rows a group commit gathers (docs/decisions.md has
 * the measurement). The insert goes through the parent table, so its statement
 * trigger folds the hourly aggregates of exactly the rows stored, and rows are
 * inserted in key order so that two concurrent batches with common keys wait
 * on each other instead of deadlocking.
 *
 * Duplicates are the exception (a client's retry), so a batch without repeated
 * keys first goes as a plain INSERT: ON CONFLICT's speculative insertion costs
 * PostgreSQL about a fifth more per row. When that INSERT meets a stored key
 * (unique_violation) it has stored nothing, and the batch goes again with ON
 * CONFLICT DO NOTHING … RETURNING, which says which rows were new. After such
 * a conflict the next `conflictCooldown` batches skip the plain attempt, so a
 * client replaying a backlog does not make every batch run twice.
 *
 * Returns, per row in order, whether this statement stored it (true) or it was
 * already there (false); of several rows with one key, the first counts.
 */
export async function insertReadings(
  db: Queryable,
  rows: readonly Reading[],
  memory: WriterMemory,
): Promise<boolean[]> {
  if (rows.length === 0) return [];
  const n = rows.length;
  // The arrays go as PostgreSQL array literals built here: pg's generic array
  // serializer (a type check and an escape per element) was a visible part of
  // the server's CPU per request.
  let ids = '{';
  let micros = '{';
  let values = '{';
  let qualities = '{';
  const weeks = new Set<number>();
  const sensors = new Map<string, SensorInfo>();
  const firstOfKey = new Set<string>();
  const stored: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const us = readingMicros(r);
    const sep = i === 0 ? '' : ',';
    ids += sep + arrayElement(r.sensorId);
    micros += sep + us;
    // String(): the shortest round-trip form, which float8in reads back to the same double
    // (and NaN, Infinity, -Infinity are spelled as PostgreSQL spells them).
    values += sep + String(r.value);
    qualities += sep + String(r.quality ?? 1);
    weeks.add(weekOfMicros(us));
    if (!memory.sensors.has(r.sensorId) && !sensors.has(r.sensorId)) {
      sensors.set(r.sensorId, {
        sensorType: r.sensorType,
        unit: r.unit,
        metadata: r.metadata ? JSON.stringify(r.metadata) : undefined,
      });
    }
    const key = `${r.sensorId}\u0000${us}`;
    stored[i] = !firstOfKey.has(key);
    if (stored[i]) firstOfKey.add(key);
  }
  const arrays: ReadingArrayLiterals = [ids + '}', micros + '}', values + '}', qualities + '}'];
  await prepareBatch(db, { weeks, sensors }, memory);
  if (firstOfKey.size === n && memory.conflictCooldown === 0) {
    try {
      await insertNewReadings(db, arrays);
      return stored;
    } catch (error) {
      if (!hasSqlState(error, 'uniqueViolation')) throw error;
      memory.conflictCooldown = CONFLICT_COOLDOWN_BATCHES;
    }
  } else if (memory.conflictCooldown > 0) memory.conflictCooldown -= 1;
  for (const i of await insertReadingsSkippingStored(db, arrays)) stored[i - 1] = false;
  return stored;
}

const CONFLICT_COOLDOWN_BATCHES = 100;

/** A quoted element of a text[] literal: backslash and double quote escaped, anything else as is. */
function arrayElement(text: string): string {
  return needsEscape.test(text) ? `"${text.replace(escapable, '\\$&')}"` : `"${text}"`;
}
const needsEscape = /["\\]/;
const escapable = /["\\]/g;

import { systemClock, type Clock } from '../clock.js';
import type { Db, Queryable } from '../db/db.js';
import { readingKey, storedByThisTransaction } from '../db/queries/sensor-readings.js';
import { readingMicros, type Reading, type Validation } from './reading.js';
import { validateReading, type ReadingOptions } from './validate-reading.js';
import { insertReadings } from './insert-readings.js';
import { newWriterMemory, writeReadings } from './write-readings.js';
import { withWriteRetry } from './write-retry.js';

/**
 * `smx serve`'s side of ingest: the shared row rules (validateReading, readings
 * without a timestamp take the server's receive time, distinct per reading) and a group-commit flush that
 * writes a whole batch in one transaction and says for each row whether it was
 * stored now or was already there, so every request gets its own counts.
 * Batches up to `copyFromRows` rows go in one INSERT statement (one round trip,
 * insert-readings.ts); larger ones through the ingest writer's COPY, which
 * costs more round trips but less per row. A flush that meets a deadlock or
 * a dropped partition runs again under ingest's one retry policy (write-retry.ts).
 */
/** `now`: the clock that stamps readings sent without a timestamp. */
export function createReadingWriter(db: Db, options: { now?: Clock; copyFromRows?: number } = {}) {
  const now = options.now ?? systemClock;
  const copyFromRows = options.copyFromRows ?? 1000;
  const memory = newWriterMemory();
  // Readings without a timestamp take the receive time in microseconds, each at least 1 µs after the
  // last, so two of them (in one request or two) are never one key, counted as duplicates of each other.
  let lastReceived = 0;
  const readingOptions: ReadingOptions = {
    receivedAt: () => (lastReceived = Math.max(now() * 1000, lastReceived + 1)),
  };

  async function flushOnce(rows: Reading[]): Promise<boolean[]> {
    if (rows.length < copyFromRows) return insertReadings(db, rows, memory);
    return db.transaction(async (client) => {
      const { duplicates } = await writeReadings(client, rows, { batchId: null, memory, prepareWith: db });
      if (duplicates === 0) return rows.map(() => true);
      return attribute(client, rows);
    });
  }

  return {
    validate(raw: unknown): Validation<Reading> {
      const check = validateReading(raw, readingOptions);
      return check.ok ? { ok: true, row: check.reading } : { ok: false, field: check.field, reason: check.reason };
    },
    flush(rows: Reading[]): Promise<boolean[]> {
      return withWriteRetry(memory, () => flushOnce(rows));
    },
  };
}

/**
 * With duplicates in a batch, which rows did this transaction store? Rows carry
 * the writing transaction's id, so the ones with ours are new; of several rows
 * with the same key in the batch, the first counts as stored.
 */
async function attribute(client: Queryable, rows: Reading[]): Promise<boolean[]> {
  const keys = rows.map((r) => ({ sensorId: r.sensorId, micros: readingMicros(r) }));
  const fresh = await storedByThisTransaction(client, keys);
  return keys.map((k) => fresh.delete(readingKey(k.sensorId, k.micros)));
}

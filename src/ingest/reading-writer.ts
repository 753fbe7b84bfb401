import type { Db, DbClient } from '../db/db.js';
import { sqlState } from '../errors.js';
import type { Reading } from '../ingest/reading.js';
import { validateReading } from '../ingest/validate-reading.js';
import { insertReadings } from '../ingest/insert-readings.js';
import { newWriterMemory, writeReadings } from '../ingest/write-readings.js';
import type { Validation } from './routes/ingest.js';

/**
 * The server's side of ingest: the shared row rules (validateReading, readings
 * without a timestamp take the server's clock) and a group-commit flush that
 * writes a whole batch in one transaction and says for each row whether it was
 * stored now or was already there, so every request gets its own counts.
 * Batches up to `copyFromRows` rows go in one INSERT statement (one round trip,
 * insert-readings.ts); larger ones through the ingest writer's COPY, which
 * costs more round trips but less per row.
 */
export function createReadingWriter(db: Db, options: { now?: () => number; copyFromRows?: number } = {}) {
  const now = options.now ?? Date.now;
  const copyFromRows = options.copyFromRows ?? 1000;
  const memory = newWriterMemory();

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
      const check = validateReading(raw, { defaultTimestampMs: now() });
      return check.ok ? { ok: true, row: check.reading } : { ok: false, field: check.field, reason: check.reason };
    },
    async flush(rows: Reading[]): Promise<boolean[]> {
      try {
        return await flushOnce(rows);
      } catch (error) {
        const state = sqlState(error);
        // A partition dropped since we created it (retention): forget what we knew and try once more.
        if (state === NO_PARTITION_FOR_ROW) memory.weeks.clear();
        // Key-ordered inserts make deadlocks between flushes unlikely, not impossible (another writer's order).
        else if (state !== DEADLOCK) throw error;
        return flushOnce(rows);
      }
    },
  };
}

/** check_violation: what Postgres raises for a row no partition accepts. */
const NO_PARTITION_FOR_ROW = '23514';
/** deadlock_detected: PostgreSQL rolled our statement back to break a cycle; it is safe to run again. */
const DEADLOCK = '40P01';

const keyOf = (sensorId: string, micros: number) => `${sensorId}\u0000${micros}`;
const micros = (ts: number | Date) => (typeof ts === 'number' ? ts : ts.getTime()) * 1000;

/**
 * With duplicates in a batch, which rows did this transaction store? Rows carry
 * the writing transaction's id (column xid), so the ones with ours are new; of
 * several rows with the same key in the batch, the first counts as stored.
 */
async function attribute(client: DbClient, rows: Reading[]): Promise<boolean[]> {
  const { rows: fresh } = await client.query<{ sensor_id: string; us: number }>(
    `select r.sensor_id, (extract(epoch from r.ts) * 1000000)::bigint as us
     from sensor_readings r
     join (select distinct s, t from unnest($1::text[], $2::timestamptz[]) as u(s, t)) u on r.sensor_id = u.s and r.ts = u.t
     where r.xid = pg_current_xact_id()::text::bigint`,
    [rows.map((r) => r.sensorId), rows.map((r) => new Date(micros(r.ts) / 1000))],
  );
  const unclaimed = new Set(fresh.map((row) => keyOf(row.sensor_id, row.us)));
  return rows.map((r) => unclaimed.delete(keyOf(r.sensorId, micros(r.ts))));
}

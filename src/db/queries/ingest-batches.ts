import type { DbClient, Queryable } from '../db.js';
import { SmxError, hasSqlState } from '../../errors.js';

/**
 * The ingest_batches table: one row per idempotency key. Postgres enforces the
 * key (unique constraint), so a repeated load is a no-op whether or not Redis
 * is up. A session advisory lock on the key keeps two runs with the same key
 * from interleaving; it dies with the connection, so a run killed with -9
 * never blocks the next one.
 */
export interface BatchRecord {
  batchId: number;
  idempotencyKey: string;
  source: string;
  status: 'running' | 'committed' | 'failed';
  rowsRead: number;
  rowsInserted: number;
  duplicates: number;
  rejected: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** `sha256:<hex>` of the input this run loaded (summary.contentHash); null for runs recorded before it was kept. */
  contentHash: string | null;
}

export type Claim =
  | { kind: 'new'; batchId: number }
  | { kind: 'resumed'; batchId: number; rowsInsertedBefore: number }
  | { kind: 'done'; record: BatchRecord };

const selectRecord = `select batch_id as "batchId", idempotency_key as "idempotencyKey", source, status,
  rows_read as "rowsRead", rows_inserted as "rowsInserted", duplicates, rejected, started_at as "startedAt", finished_at as "finishedAt",
  summary->>'contentHash' as "contentHash"
  from ingest_batches`;

export async function lockKey(session: DbClient, key: string): Promise<void> {
  const { rows } = await session.query<{ locked: boolean }>(
    `select pg_try_advisory_lock(hashtextextended('smx-ingest:' || $1, 0)) as locked`,
    [key],
  );
  if (!rows[0]?.locked) {
    throw new SmxError('CONFLICT', `Another smx ingest with idempotency key ${key} is running.`, {
      hint: 'Wait for it to finish; a second run with the same key would load nothing new.',
    });
  }
}

/** Releases every advisory lock this session holds (the key's, after a run). */
export async function unlockKeys(session: DbClient): Promise<void> {
  await session.query('select pg_advisory_unlock_all()');
}

export async function findBatch(
  db: Queryable,
  where: { key?: string; batchId?: number },
): Promise<BatchRecord | undefined> {
  const { rows } =
    where.key !== undefined
      ? await db.query<BatchRecord & Record<string, unknown>>(`${selectRecord} where idempotency_key = $1`, [where.key])
      : await db.query<BatchRecord & Record<string, unknown>>(`${selectRecord} where batch_id = $1`, [where.batchId]);
  return rows[0];
}

/** Claims `key` for this run (call with the key locked): new, resumed after a killed or failed run, or already done. */
export async function claimBatch(session: DbClient, key: string, source: string): Promise<Claim> {
  const inserted = await session.query<{ batch_id: number }>(
    `insert into ingest_batches (idempotency_key, source) values ($1, $2) on conflict (idempotency_key) do nothing returning batch_id`,
    [key, source],
  );
  if (inserted.rows[0]) return { kind: 'new', batchId: inserted.rows[0].batch_id };
  const record = (await findBatch(session, { key }))!;
  if (record.status === 'committed') return { kind: 'done', record };
  await session.query(
    `update ingest_batches set status = 'running', source = $2, finished_at = null where batch_id = $1`,
    [record.batchId, source],
  );
  return { kind: 'resumed', batchId: record.batchId, rowsInsertedBefore: record.rowsInserted };
}

/** Adds one committed batch's counts; runs inside that batch's transaction, so counts and rows commit together. */
export async function addBatchCounts(
  client: DbClient,
  batchId: number,
  inserted: number,
  duplicates: number,
): Promise<void> {
  await client.query(
    'update ingest_batches set rows_inserted = rows_inserted + $2, duplicates = duplicates + $3 where batch_id = $1',
    [batchId, inserted, duplicates],
  );
}

/**
 * Closes the run's record. With `allRowsWritten` (the load ended, or stopped at
 * --max-rejects after committing what it read), duplicates are what the rows
 * read and not rejected were beyond those this key stored: on a resumed key
 * the rows an earlier attempt stored are in rows_inserted already, and are not
 * counted again as duplicates, so rows_inserted + duplicates + rejected = rows_read.
 */
export async function finishBatch(
  db: Queryable,
  batchId: number,
  status: 'committed' | 'failed',
  counts: { rowsRead: number; rejected: number },
  summary: Record<string, unknown>,
  options: { allRowsWritten?: boolean } = {},
): Promise<void> {
  await db.query(
    `update ingest_batches set status = $2, rows_read = $3, rejected = $4, finished_at = now(), summary = $5,
       duplicates = case when $6::boolean then greatest(0, $3::bigint - $4::bigint - rows_inserted) else duplicates end
     where batch_id = $1`,
    [batchId, status, counts.rowsRead, counts.rejected, JSON.stringify(summary), Boolean(options.allRowsWritten)],
  );
}

/**
 * Stdin runs without --idempotency-key hold a provisional key until the end.
 * One killed with -9 (or its machine lost) would stay `running` for ever: no
 * later run has its key. A provisional key is locked only by its own run, so
 * a running one whose lock is free was abandoned; it is marked failed (its
 * committed rows stay). Returns the batch ids marked.
 */
export async function failAbandonedProvisionalBatches(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ batch_id: number }>(
    `with candidates as materialized (
       select batch_id, idempotency_key from ingest_batches
       where status = 'running' and idempotency_key like 'provisional:%')
     update ingest_batches b set status = 'failed', finished_at = now(),
       summary = b.summary || '{"error": "abandoned: the run ended without finishing (killed); the batches it committed stay"}'::jsonb
     from candidates c
     where b.batch_id = c.batch_id and pg_try_advisory_xact_lock(hashtextextended('smx-ingest:' || c.idempotency_key, 0))
     returning b.batch_id`,
  );
  return rows.map((r) => r.batch_id);
}

/**
 * Stdin without --idempotency-key: the content hash is known only at the end.
 * The run used a provisional key; now it takes the content key. When a
 * committed run already holds it, this run was a repeat (it could insert only
 * duplicates) and that first run is returned.
 */
export async function adoptContentKey(
  db: { transaction<T>(work: (c: DbClient) => Promise<T>): Promise<T> },
  batchId: number,
  key: string,
): Promise<BatchRecord | undefined> {
  return db.transaction(async (client) => {
    const existing = await client.query<{ batch_id: number; status: string }>(
      'select batch_id, status from ingest_batches where idempotency_key = $1 for update',
      [key],
    );
    const holder = existing.rows[0];
    if (holder && holder.batch_id !== batchId) {
      if (holder.status === 'committed') {
        await client.query('update ingest_batches set idempotency_key = $2 where batch_id = $1', [
          batchId,
          `${key}#${batchId}`,
        ]);
        return findBatch(client, { batchId: holder.batch_id });
      }
      // An earlier run of the same content was killed: this run completed the load, so it takes the key.
      await client.query('update ingest_batches set idempotency_key = $2 where batch_id = $1', [
        holder.batch_id,
        `${key}#${holder.batch_id}`,
      ]);
    }
    try {
      await client.query('update ingest_batches set idempotency_key = $2 where batch_id = $1', [batchId, key]);
    } catch (error) {
      if (hasSqlState(error, 'uniqueViolation'))
        throw new SmxError('CONFLICT', `A concurrent run took idempotency key ${key}.`);
      throw error;
    }
    return undefined;
  });
}

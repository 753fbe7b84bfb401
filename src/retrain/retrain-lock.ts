/**
 * One retrain per model at a time, across processes and machines: a
 * session-level Postgres advisory lock on (smx.retrain, hashtext(model)), held
 * by one connection for the whole run. If that connection drops, Postgres
 * releases the lock, so before promoting the run checks that its connection
 * (and so its lock) is still alive and gives up otherwise: a run that lost the
 * lock never promotes over a newer one.
 */
import type { Db, DbClient } from '../db/db.js';
import { SmxError } from '../errors.js';

/** First key of the two-int advisory lock: 'smx.retrain' spelled as a fixed constant. */
const retrainLockSpace = 7_210_345;

export interface HeldLock {
  /** Throws when the lock's connection is gone (the lock is then no longer ours). */
  assertHeld(): Promise<void>;
}

/**
 * Runs `work` holding the model's lock; returns `{ acquired: false }` at once
 * when another process holds it (never waits: the other run makes this one moot).
 */
export async function withRetrainLock<T>(
  db: Db,
  model: string,
  work: (lock: HeldLock) => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  return db.withClient(async (client: DbClient) => {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, hashtext($2)) as locked',
      [retrainLockSpace, model],
    );
    if (!rows[0]?.locked) return { acquired: false as const };
    const lock: HeldLock = {
      async assertHeld() {
        try {
          const held = await client.query<{ n: number }>(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
               and classid = $1::int::oid and objid = hashtext($2)::oid and granted`,
            [retrainLockSpace, model],
          );
          if (held.rows[0]?.n !== 1) throw new Error('advisory lock not held');
        } catch (error) {
          throw new SmxError(
            'CONFLICT',
            `Lost the retrain lock of ${model} (its database connection dropped); not promoting.`,
            { cause: error },
          );
        }
      },
    };
    try {
      return { acquired: true as const, value: await work(lock) };
    } finally {
      await client
        .query('select pg_advisory_unlock($1, hashtext($2))', [retrainLockSpace, model])
        .catch(() => undefined);
    }
  });
}

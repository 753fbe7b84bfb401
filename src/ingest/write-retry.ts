import { hasSqlState } from '../errors.js';
import type { WriterMemory } from './write-readings.js';

/**
 * The one retry policy of every reading writer (`smx ingest`'s batches and
 * `smx serve`'s group-commit flushes): a write that failed only because of
 * what other sessions did at the same moment is run again, at most
 * `attempts` times in all; anything else is thrown at once.
 *
 * - deadlock_detected, serialization_failure: PostgreSQL rolled our statement
 *   back to let another one through; running it again is safe (nothing of it
 *   was kept). Key-ordered inserts make deadlocks between our own writers
 *   unlikely, not impossible (another writer's order).
 * - check_violation, raised for a row no partition accepts: a week's partition
 *   was dropped (retention) since this writer created it, so what the writer
 *   remembers of existing partitions is forgotten and the week created again.
 *
 * `write` must be the whole unit of work (its own transaction, or one
 * statement outside any), preparing partitions and sensors itself.
 */
export async function withWriteRetry<T>(memory: WriterMemory, write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      if (hasSqlState(error, 'checkViolation')) memory.weeks.clear();
      else if (!hasSqlState(error, 'deadlockDetected') && !hasSqlState(error, 'serializationFailure')) throw error;
    }
  }
}

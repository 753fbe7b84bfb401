import type { Queryable } from '../db/db.js';
import { weekPartitionLeaves } from '../db/queries/sensor-readings.js';
import { weekStartMs } from './copy-batch.js';

/**
 * Finds the leaf partition of sensor_readings for each week of a batch, for
 * the partition-direct write (write-readings.ts). PostgreSQL's COPY into the
 * partitioned parent inserts one row at a time as long as the parent has a
 * statement-level insert trigger with a transition table (the hourly fold):
 * copyfrom.c cannot batch across partitions then. A COPY into the leaf itself
 * batches (multi-insert) and does not fire the parent's statement trigger, so
 * the writer folds the hourly aggregates itself.
 *
 * The direct write is safe only when it does everything the parent would, so
 * the answer is `undefined` (write through the parent) unless:
 * - sensor_readings is a declaratively partitioned table (not a hypertable);
 * - its hourly fold trigger is enabled (the writer replaces exactly that) and
 *   it has no other statement-level insert trigger (a leaf COPY would skip it;
 *   row-level triggers are cloned onto the partitions and still fire);
 * - every week has a plain-table partition bounded by exactly that week
 *   (what smx_ensure_partitions creates), so no row can miss its partition.
 */
export async function weekPartitions(
  client: Queryable,
  weeks: Iterable<number>,
): Promise<Map<number, string> | undefined> {
  const list = [...weeks];
  const leaves = await weekPartitionLeaves(
    client,
    list.map((w) => new Date(weekStartMs(w)).toISOString()),
  );
  if (!leaves) return undefined;
  const byWeek = new Map<number, string>();
  for (let i = 0; i < list.length; i++) {
    const leaf = leaves[i];
    if (leaf == null) return undefined;
    byWeek.set(list[i]!, leaf);
  }
  return byWeek;
}

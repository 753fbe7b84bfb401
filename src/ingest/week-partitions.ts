import type { DbClient } from '../db/db.js';
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
  client: DbClient,
  weeks: Iterable<number>,
): Promise<Map<number, string> | undefined> {
  const list = [...weeks];
  const { rows } = await client.query<{ i: number; leaf: string | null }>(
    `select w.i::int as i,
       (select format('%I.%I', n.nspname, c.relname)
          from pg_inherits inh
          join pg_class c on c.oid = inh.inhrelid
          join pg_namespace n on n.oid = c.relnamespace
          cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid),
            '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$') as b
         where inh.inhparent = p.oid and c.relkind = 'r'
           and b[1]::timestamptz = w.start and b[2]::timestamptz = w.start + interval '7 days'
         limit 1) as leaf
     from pg_class p, unnest($1::timestamptz[]) with ordinality as w(start, i)
     where p.oid = 'sensor_readings'::regclass and p.relkind = 'p'
       and exists (select 1 from pg_trigger t where t.tgrelid = p.oid and t.tgname = 'sensor_readings_fold_hourly' and t.tgenabled in ('O', 'A'))
       and not exists (select 1 from pg_trigger t where t.tgrelid = p.oid and not t.tgisinternal
                         and t.tgtype & 1 = 0 and t.tgtype & 4 <> 0 and t.tgname <> 'sensor_readings_fold_hourly')`,
    [list.map((w) => new Date(weekStartMs(w)).toISOString())],
  );
  if (rows.length !== list.length) return undefined;
  const leaves = new Map<number, string>();
  for (const row of rows) {
    if (row.leaf === null) return undefined;
    leaves.set(list[row.i - 1]!, row.leaf);
  }
  return leaves;
}

import { sqlLiteral } from './sql-literal.js';
import type { DbClient } from './db.js';

/**
 * One snapshot read by several connections, as `pg_dump --jobs` does: the
 * first connection opens a REPEATABLE READ, read-only transaction and exports
 * its snapshot; each other one opens the same kind of transaction and imports
 * it, so every connection sees exactly the same rows. The exporting
 * transaction must stay open until the others have imported the snapshot.
 */
export async function exportSnapshot(client: DbClient): Promise<string> {
  await client.query('begin transaction isolation level repeatable read, read only');
  const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
  return rows[0]!.id;
}

export async function importSnapshot(client: DbClient, snapshotId: string): Promise<void> {
  await client.query('begin transaction isolation level repeatable read, read only');
  // SET TRANSACTION SNAPSHOT takes no bind parameter: the id is quoted with the driver's escaping.
  await client.query(`set transaction snapshot ${sqlLiteral(snapshotId)}`);
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SmxError, hasSqlState } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { migrationsDir as defaultMigrationsDir } from '../package-root.js';

/**
 * Forward-only migrations: numbered SQL files (0001_name.sql), each applied in
 * its own transaction, recorded with a SHA-256 checksum, under an advisory lock
 * so two `smx migrate` runs at once apply each file exactly once.
 */

export interface MigrationFile {
  id: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}
export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}
export interface MigrationStatus {
  applied: Array<AppliedMigration & { changed: boolean }>;
  pending: MigrationFile[];
}
export interface MigrateResult {
  applied: Array<{ id: number; name: string; ms: number }>;
  alreadyApplied: number;
}

/** pg_advisory_lock key: the first 8 bytes of sha256('smx.migrate') would do; a fixed constant is clearer. */
const migrationLockKey = 7_210_345_601;

export function readMigrations(dir: string = defaultMigrationsDir): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new SmxError('INTERNAL', `Migration file ${file} is not named NNNN_name.sql.`);
    const id = Number(match[1]);
    if (seen.has(id)) throw new SmxError('INTERNAL', `Two migration files share number ${match[1]}.`);
    seen.add(id);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { id, name: match[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

async function ensureTable(db: Queryable): Promise<void> {
  await db.query(`create table if not exists smx_migrations (
    id integer primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
}

async function appliedMigrations(db: Queryable): Promise<AppliedMigration[]> {
  try {
    const { rows } = await db.query<{ id: number; name: string; checksum: string; applied_at: Date }>(
      'select id, name, checksum, applied_at from smx_migrations order by id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
  } catch (error) {
    if (hasSqlState(error, 'undefinedTable')) return [];
    throw error;
  }
}

export async function migrationStatus(db: Queryable, dir?: string): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  const applied = await appliedMigrations(db);
  const byId = new Map(files.map((f) => [f.id, f]));
  const appliedIds = new Set(applied.map((a) => a.id));
  return {
    applied: applied.map((a) => ({ ...a, changed: byId.get(a.id)?.checksum !== a.checksum })),
    pending: files.filter((f) => !appliedIds.has(f.id)),
  };
}

function assertUnchanged(status: MigrationStatus): void {
  const changed = status.applied.filter((a) => a.changed);
  if (changed.length) {
    const names = changed.map((c) => `${String(c.id).padStart(4, '0')}_${c.name}.sql`).join(', ');
    throw new SmxError('MIGRATION_CHANGED', `Applied migration(s) ${names} changed on disk since they were applied.`, {
      hint: 'Migrations are forward-only: restore the original file and add a new numbered migration for the change.',
      details: { changed: changed.map((c) => c.id) },
    });
  }
}

export async function migrate(db: Db, dir?: string): Promise<MigrateResult> {
  return db.withClient(async (client) => {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await ensureTable(client);
      const status = await migrationStatus(client, dir);
      assertUnchanged(status);
      const applied: MigrateResult['applied'] = [];
      for (const migration of status.pending) {
        const started = performance.now();
        await client.query('begin');
        try {
          await client.query(migration.sql);
          await client.query('insert into smx_migrations (id, name, checksum) values ($1, $2, $3)', [
            migration.id,
            migration.name,
            migration.checksum,
          ]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw new SmxError('INTERNAL', `Migration ${migration.file} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        applied.push({ id: migration.id, name: migration.name, ms: Math.round(performance.now() - started) });
      }
      return { applied, alreadyApplied: status.applied.length };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    }
  });
}

/** For commands that need the schema: a clear error (exit 2) telling the user to run `smx migrate`. */
export async function assertSchemaCurrent(db: Queryable, dir?: string): Promise<void> {
  const status = await migrationStatus(db, dir);
  assertUnchanged(status);
  if (status.pending.length) {
    const first = status.pending[0]!;
    throw new SmxError(
      'SCHEMA_MISSING',
      status.applied.length
        ? `The database schema is behind: ${status.pending.length} migration(s) pending, starting with ${first.file}.`
        : 'The database has no smx schema yet.',
      {
        hint: 'Run `smx migrate` first, or pass --migrate to apply it now.',
        details: { pending: status.pending.map((p) => p.file) },
      },
    );
  }
}

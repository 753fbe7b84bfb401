import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Db } from '../../src/db/db.js';
import { createDb, createPool } from '../../src/db/postgres-db.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

/**
 * Each test file gets its own database, cloned from a migrated template (as
 * graphile-worker does), and drops it afterwards. The server is
 * SMX_TEST_DATABASE_URL, else 127.0.0.1:5432; outside CI, when neither answers,
 * the embedded PostgreSQL. With CI=true an unreachable server fails the run.
 */

const defaultUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
let adminUrlPromise: Promise<string> | undefined;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function adminUrl(): Promise<string> {
  adminUrlPromise ??= (async () => {
    const configured = process.env.SMX_TEST_DATABASE_URL;
    const candidate = configured ?? defaultUrl;
    if (await answers(candidate)) return candidate;
    if (configured || process.env.CI === 'true') {
      throw new Error(
        `PostgreSQL for tests does not answer at ${candidate} (SMX_TEST_DATABASE_URL). In CI a missing service is a failure. Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      );
    }
    const stateDir = process.env.SMX_TEST_EMBEDDED_DIR ?? path.join(os.tmpdir(), 'smx-test-embedded');
    const handle = await startEmbeddedPostgres({ stateDir, mode: 'command' });
    process.once('exit', () => void handle.release());
    process.stderr.write(`# tests use the embedded PostgreSQL at ${handle.url} (no server at ${candidate})\n`);
    return handle.url;
  })();
  return adminUrlPromise;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + database;
  return parsed.toString();
}

async function ensureTemplate(admin: pg.Client, url: string): Promise<string> {
  const migrations = readMigrations();
  const fingerprint = migrations
    .map((m) => m.checksum.slice(0, 6))
    .join('')
    .slice(0, 40);
  const { createHash } = await import('node:crypto');
  const name = `smx_test_tpl_${createHash('sha256').update(fingerprint).digest('hex').slice(0, 12)}`;
  await admin.query('select pg_advisory_lock(7210345602)');
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building_${process.pid}`;
      await admin.query(`create database "${building}"`);
      const db = createDb(createPool(withDatabase(url, building), { max: 1 }));
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await admin.query(`alter database "${building}" rename to "${name}"`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(7210345602)');
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  /** The driver's pool under `db`, for tests of the database layer itself. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file: migrated unless `{ migrated: false }`. */
export async function createTestDatabase(
  options: { migrated?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const url = await adminUrl();
  const name = `smx_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    if (options.migrated === false) await admin.query(`create database "${name}"`);
    else await admin.query(`create database "${name}" template "${await ensureTemplate(admin, url)}"`);
  } finally {
    await admin.end();
  }
  const dbUrl = withDatabase(url, name);
  const pool = createPool(dbUrl, { max: options.poolSize ?? 5 });
  const db = createDb(pool);
  let dropped = false;
  return {
    url: dbUrl,
    name,
    db,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.close().catch(() => undefined);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function tempDir(prefix = 'smx-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

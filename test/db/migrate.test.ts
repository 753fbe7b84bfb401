import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { assertSchemaCurrent, migrate, migrationStatus, readMigrations } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/package-root.js';
import { createDb, createPool } from '../../src/db/postgres-db.js';
import { SmxError } from '../../src/errors.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

describe('migrations', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  after(async () => {
    await database.drop();
  });

  it('an empty database reports the schema as missing (exit 2, says to run smx migrate)', async () => {
    await assert.rejects(assertSchemaCurrent(database.db), (error: unknown) => {
      assert.ok(error instanceof SmxError);
      assert.equal(error.code, 'SCHEMA_MISSING');
      assert.equal(error.exitCode, 2);
      assert.match(error.hint ?? '', /smx migrate/);
      return true;
    });
  });

  it('two migrators started at once apply each file exactly once', async () => {
    const second = createDb(createPool(database.url, { max: 2 }));
    try {
      const [a, b] = await Promise.all([migrate(database.db), migrate(second)]);
      const files = readMigrations();
      assert.equal(a.applied.length + b.applied.length, files.length);
      assert.ok(a.applied.length === 0 || b.applied.length === 0, 'one of them found nothing left to do');
    } finally {
      await second.close();
    }
    const status = await migrationStatus(database.db);
    assert.equal(status.pending.length, 0);
    assert.ok(status.applied.every((m) => !m.changed));
    await assertSchemaCurrent(database.db);
  });

  it('running again changes nothing', async () => {
    const result = await migrate(database.db);
    assert.deepEqual(result.applied, []);
    assert.equal(result.alreadyApplied, readMigrations().length);
  });

  it('an applied file that changed on disk is an error, not a silent re-run', async () => {
    const dir = tempDir();
    for (const file of readdirSync(migrationsDir)) copyFileSync(path.join(migrationsDir, file), path.join(dir, file));
    appendFileSync(path.join(dir, readdirSync(dir).sort()[0]!), '\n-- edited\n');
    await assert.rejects(migrate(database.db, dir), (error: unknown) => {
      assert.ok(error instanceof SmxError);
      assert.equal(error.code, 'MIGRATION_CHANGED');
      assert.match(error.message, /0001_init\.sql changed/);
      return true;
    });
  });

  it('a new file is pending until applied, then recorded with its checksum', async () => {
    const dir = tempDir();
    for (const file of readdirSync(migrationsDir)) copyFileSync(path.join(migrationsDir, file), path.join(dir, file));
    writeFileSync(path.join(dir, '0999_extra.sql'), 'create table extra_test (id int);');
    const before = await migrationStatus(database.db, dir);
    assert.deepEqual(
      before.pending.map((p) => p.name),
      ['extra'],
    );
    await assert.rejects(assertSchemaCurrent(database.db, dir), /pending/);
    const result = await migrate(database.db, dir);
    assert.deepEqual(
      result.applied.map((a) => a.name),
      ['extra'],
    );
    const { rows } = await database.db.query<{ checksum: string }>(
      'select checksum from smx_migrations where id = 999',
    );
    assert.equal(rows[0]?.checksum.length, 64);
  });

  it('a failing migration rolls back and leaves nothing recorded', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(migrationsDir)) copyFileSync(path.join(migrationsDir, file), path.join(dir, file));
    writeFileSync(path.join(dir, '0999_extra.sql'), 'create table extra_test (id int);'); // applied above
    writeFileSync(path.join(dir, '1000_broken.sql'), 'create table half_done (id int); select 1/0;');
    await assert.rejects(migrate(database.db, dir), /1000_broken\.sql failed: division by zero/);
    const { rows } = await database.db.query("select to_regclass('half_done') as t");
    assert.equal(rows[0]?.t, null);
    assert.deepEqual(
      (await migrationStatus(database.db, dir)).pending.map((p) => p.name),
      ['broken'],
    );
  });
});

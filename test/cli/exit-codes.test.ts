import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, tempDir, withDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';

/** Issue 16, item 14: mistakes are usage errors (exit 2) that say what to do, not bugs or failed runs. */
describe('exit codes for mistakes', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-exit-codes-');
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(
      path.join(dir, 'models', 'registry.json'),
      JSON.stringify({ formatVersion: 1, models: { 'pump-health': { aliases: {}, versions: [] } } }),
    );
  });
  after(async () => {
    await t?.drop();
  });
  const env = () => ({ SMX_DATABASE_URL: t.url, SMX_MODELS_DIR: path.join(dir, 'models') });

  it('smx retrain no-such-model --force: exit 2 listing the registered models, and no run recorded', async () => {
    const r = await runCli(['retrain', 'no-such-model', '--force'], { env: env(), cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /No registered model "no-such-model"/);
    assert.match(r.stderr, /registered: pump-health/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const { rows } = await t.db.query('select 1 from retrain_runs');
    assert.equal(rows.length, 0, 'no run recorded');
  });

  it('smx events dlq retry not-a-uuid: exit 2 saying what an event id looks like', async () => {
    const r = await runCli(['events', 'dlq', 'retry', 'not-a-uuid'], { env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Not an event id \(a UUID\): "not-a-uuid"/);
  });

  it('a database that does not exist: exit 4, saying so and how to create it', async () => {
    const missing = withDatabase(t.url, 'smx_no_such_database');
    const r = await runCli(['retrain', '--history'], { env: { ...env(), SMX_DATABASE_URL: missing } });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /database "smx_no_such_database" does not exist/);
    assert.match(r.stderr, /createdb smx_no_such_database/);
  });
});

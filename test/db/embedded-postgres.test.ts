import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { withFileLock } from '../../src/db/state-lock.js';
import { embeddedStatus, startEmbeddedPostgres, stopEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { tempDir } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';

describe('embedded PostgreSQL', () => {
  const stateDir = tempDir('smx-embedded-');
  after(async () => {
    await stopEmbeddedPostgres(stateDir).catch(() => undefined);
  });

  it('initialises on first use, serves queries, keeps data, and stops when the last lease is released', async () => {
    const first = await startEmbeddedPostgres({ stateDir, mode: 'command' });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('create table kept (v int); insert into kept values (42)');
    await client.end();
    await first.release();
    assert.equal(embeddedStatus(stateDir).running, false, 'the last command stops it');

    const second = await startEmbeddedPostgres({ stateDir, mode: 'command' });
    const again = new pg.Client({ connectionString: second.url });
    await again.connect();
    const { rows } = await again.query('select v from kept');
    await again.end();
    assert.deepEqual(rows, [{ v: 42 }], 'data is kept between runs');
    await second.release();
  });

  it('smx db start keeps it running in the background; commands reuse it; smx db stop stops it', async () => {
    const env = { SMX_STATE_DIR: stateDir };
    const started = await runCli(['db', 'start', '--json'], { env });
    assert.equal(started.code, 0, started.stderr);
    const { url } = JSON.parse(started.stdout) as { url: string };
    assert.match(url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const migrated = await runCli(['migrate', '--json'], { env });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.equal(embeddedStatus(stateDir).running, true, 'a command does not stop a background server');
    const status = await runCli(['db', 'status', '--json'], { env });
    assert.equal(JSON.parse(status.stdout).embedded.mode, 'background');
    const stopped = await runCli(['db', 'stop', '--json'], { env });
    assert.deepEqual(JSON.parse(stopped.stdout), { ok: true, stopped: true });
    assert.equal(embeddedStatus(stateDir).running, false);
  });

  it('two commands started at once on a stopped server both run, and the last one out stops it', async () => {
    assert.equal(embeddedStatus(stateDir).running, false);
    const env = { SMX_STATE_DIR: stateDir };
    const [a, b] = await Promise.all([
      runCli(['migrate', '--json'], { env }),
      runCli(['migrate', '--status', '--json'], { env }),
    ]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    assert.equal(embeddedStatus(stateDir).running, false, 'stopped when the last command ended');
  });
});

describe('withFileLock', () => {
  it('runs one holder at a time and takes over a lock whose owner died', async () => {
    const lock = path.join(tempDir('smx-lock-'), 'x.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, dead.stdout);
    const order: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    assert.deepEqual(
      order.map((o) => o.split(' ')[1]),
      ['in', 'out', 'in', 'out'],
      'never two holders at once',
    );
    assert.equal(existsSync(lock), false);
  });
});

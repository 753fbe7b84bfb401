import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli, smxBin } from '../helpers/cli.js';
import { writeReadings } from '../../src/ingest/write-readings.js';

/**
 * Issue 16, item 12: Ctrl-C and SIGTERM stop an export. The COPY is held on a
 * lock the test takes, so the signal always arrives mid-COPY however fast the
 * machine; the export must exit 130 with its COPY cancelled in PostgreSQL and
 * no file left, and the next export removes what killed ones left behind.
 */
describe('smx export: interrupted cleanly, leftovers of killed runs removed', () => {
  let t: TestDatabase;
  let dir: string;
  const children: ChildProcess[] = [];
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-export-interrupt-');
    const base = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 3000 }, (_, i) => ({ sensorId: `e${i % 3}`, ts: base + i * 60_000, value: i }));
    await t.db.transaction((c) => writeReadings(c, rows, { batchId: null, prepareWith: t.db }));
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await t?.drop();
  });
  const env = () => ({ ...process.env, CI: '', SMX_DATABASE_URL: t.url, SMX_LOG_LEVEL: 'warn' });
  const copies = async () =>
    (
      await t.db.query<{ pid: number; wait: string | null }>(
        `select pid, wait_event_type as wait from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and query ilike 'copy (%'`,
      )
    ).rows;

  /** Starts `smx export ARGS` while the readings table is locked; resolves once its COPY waits on the lock. */
  async function blockedExport(args: string[]) {
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table sensor_readings in access exclusive mode');
    const child = spawn(process.execPath, [smxBin, 'export', ...args], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 400 && !(await copies()).some((c) => c.wait === 'Lock'); i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.ok((await copies()).length > 0, `the export's COPY waits on the lock: ${stderr}`);
    const release = async () => {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    };
    return { child, exited, stderr: () => stderr, release };
  }

  async function exitWithin(exited: Promise<number | null>, ms: number): Promise<number | null | 'still running'> {
    return Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms))]);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during the COPY: exit 130, the COPY cancelled in PostgreSQL, no file left`, async () => {
      const out = path.join(dir, `all-${signal}.csv`);
      const run = await blockedExport(['-o', out, '--workers', '1']);
      try {
        run.child.kill(signal);
        // The lock is still held: only a cancelled COPY lets the process end.
        assert.equal(await exitWithin(run.exited, 10_000), 130, run.stderr());
        let left = await copies();
        for (let i = 0; i < 40 && left.length; i++) {
          await new Promise((r) => setTimeout(r, 50));
          left = await copies();
        }
        assert.deepEqual(left, [], 'no COPY left running in PostgreSQL');
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.includes(`all-${signal}`)),
          [],
          'neither the file nor its temporary',
        );
        assert.match(run.stderr(), new RegExp(`Interrupted by ${signal}`));
      } finally {
        await run.release();
      }
    });
  }

  it('an interrupted incremental export leaves no file, and the next run exports every row once', async () => {
    const folder = path.join(dir, 'incremental');
    spawnSync('mkdir', ['-p', folder]);
    const run = await blockedExport(['--incremental', '--state', 'w2', '-o', folder]);
    try {
      run.child.kill('SIGINT');
      assert.equal(await exitWithin(run.exited, 10_000), 130, run.stderr());
    } finally {
      await run.release();
    }
    assert.deepEqual(readdirSync(folder), []);
    const next = await runCli(['export', '--incremental', '--state', 'w2', '-o', folder, '--json'], { env: env() });
    assert.equal(next.code, 0, next.stderr);
    const files = readdirSync(folder);
    assert.deepEqual(files, ['w2-000001.csv']);
    assert.equal(readFileSync(path.join(folder, files[0]!), 'utf8').trim().split('\n').length, 3001);
  });

  it('the next export removes the temporary files of killed exports (dead pid), not a live one', async () => {
    const folder = path.join(dir, 'leftovers');
    spawnSync('mkdir', ['-p', folder]);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadOnes = [
      `.all1.csv.tmp-${dead}`,
      `.w2-000001.csv.tmp-${dead}-0a1b2c3d`,
      `.smx-export-${dead}-0a1b2c3d-part2`,
    ];
    const live = `.other.csv.tmp-${process.pid}-0a1b2c3d`;
    for (const name of [...deadOnes, live, 'keep.txt']) writeFileSync(path.join(folder, name), 'x');
    const r = await runCli(['export', '-o', path.join(folder, 'out.csv')], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(folder).sort(), [live, 'keep.txt', 'out.csv'].sort());
    // The incremental export cleans its folder too.
    writeFileSync(path.join(folder, `.w3-000001.csv.tmp-${dead}-12345678`), 'x');
    const inc = await runCli(['export', '--incremental', '--state', 'w3', '-o', folder], { env: env() });
    assert.equal(inc.code, 0, inc.stderr);
    assert.ok(!readdirSync(folder).some((f) => f.startsWith('.w3-')));
  });
});

// Regenerates docs/img/loadtest-report.png: a real `smx loadtest --target serve` run (ingest, ramp
// stages, thresholds, the ingest check and --cleanup) on a fresh database, its HTML report
// screenshotted by headless Chromium. Run after `npm run build`:
//   node bench/loadtest-screenshot.mjs
// Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `smx_bench_shot_${randomBytes(3).toString('hex')}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const dir = mkdtempSync(path.join(tmpdir(), 'smx-loadtest-shot-'));
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
try {
  const report = path.join(dir, 'report.html');
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin', 'smx'),
      'loadtest',
      '--target',
      'serve',
      '--stages',
      '5s:500,10s:3000,5s:0',
      '--scenario',
      'ingest',
      '--threshold',
      'p99<20ms',
      '--threshold',
      'errors<1%',
      '--cleanup',
      '--report',
      report,
    ],
    { cwd: root, env: { ...process.env, SMX_DATABASE_URL: dbUrl, SMX_LOG_LEVEL: 'warn' }, encoding: 'utf8' },
  );
  process.stdout.write(run.stdout);
  if (run.status !== 0 && run.status !== 1) throw new Error(`smx loadtest exited ${run.status}: ${run.stderr}`);
  execFileSync(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--screenshot=${path.join(dir, 'shot.png')}`,
      '--window-size=1200,1900',
      `file://${report}`,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  copyFileSync(path.join(dir, 'shot.png'), path.join(root, 'docs', 'img', 'loadtest-report.png'));
} finally {
  rmSync(dir, { recursive: true, force: true });
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}

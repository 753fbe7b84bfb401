#!/usr/bin/env node
// Benchmark: `smx export` (CSV through COPY TO) against `psql \copy (same query) to file`,
// alternating in one run, on 1,000,000 readings of 100 sensors. One JSON line per figure.
// Env: SMX_BENCH_ADMIN_URL, SMX_BENCH_ROWS (1000000), SMX_BENCH_ROUNDS (3).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const admin = process.env.SMX_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.SMX_BENCH_ROWS ?? 1_000_000);
const rounds = Number(process.env.SMX_BENCH_ROUNDS ?? 3);
const sensors = 100;
const db = `smx_bench_export_${process.pid}`;
const url = Object.assign(new URL(admin), { pathname: `/${db}` }).toString();
const smx = path.join(root, 'bin', 'smx');
const env = { ...process.env, SMX_DATABASE_URL: url, SMX_LOG_LEVEL: 'warn' };
const psql = (target, sql) =>
  execFileSync('psql', ['-qX', '-v', 'ON_ERROR_STOP=1', target, '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
const emit = (figure) => console.log(JSON.stringify({ bench: 'export', ...figure }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (fn) => {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
};

const file = `/tmp/smx-bench-${rows}.csv`;
if (!existsSync(file))
  execFileSync(
    process.execPath,
    [smx, 'generate', '--sensors', String(sensors), '--days', String(rows / sensors / 1440), '--seed', '1', '-o', file],
    { stdio: 'inherit' },
  );
// The same query smx runs (src/db/queries/sensor-readings-export.ts), so the comparison is the transport only.
const query = `select r.sensor_id, s.sensor_type, r.value, s.unit, to_char(r.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "timestamp", r.quality from sensor_readings r left join sensors s on s.sensor_id = r.sensor_id order by r.sensor_id, r.ts`;

psql(admin, `create database ${db}`);
try {
  execFileSync(process.execPath, [smx, 'migrate'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [smx, 'ingest', file, '--json'], { env, stdio: 'ignore' });
  psql(url, 'vacuum analyze');
  const psqlSeconds = [];
  const smxSeconds = [];
  const smxOneSeconds = [];
  const smxExport = (workers) =>
    timed(() => {
      const r = spawnSync(
        process.execPath,
        [smx, 'export', '-o', '/tmp/smx-bench-export-smx.csv', '--workers', String(workers), '--json'],
        { env, encoding: 'utf8' },
      );
      if (r.status !== 0 || JSON.parse(r.stdout).rows !== rows) throw new Error(`smx export failed: ${r.stderr}`);
    });
  for (let round = 0; round < rounds; round++) {
    psqlSeconds.push(timed(() => psql(url, `\\copy (${query}) to '/tmp/smx-bench-export-psql.csv' csv header`)));
    smxSeconds.push(smxExport(2));
    smxOneSeconds.push(smxExport(1));
  }
  // Byte for byte: the parallel parts must give exactly the single COPY's file.
  const same = readFileSync('/tmp/smx-bench-export-psql.csv').equals(readFileSync('/tmp/smx-bench-export-smx.csv'));
  smxExport(2);
  const sameParallel = readFileSync('/tmp/smx-bench-export-psql.csv').equals(
    readFileSync('/tmp/smx-bench-export-smx.csv'),
  );
  const p = median(psqlSeconds);
  const s = median(smxSeconds);
  const s1 = median(smxOneSeconds);
  emit({
    figure: 'psql \\copy (query) to file',
    rows,
    seconds: p,
    rowsPerSecond: Math.round(rows / p),
    runs: psqlSeconds,
  });
  emit({
    figure: 'smx export -o file (csv, default --workers 2: two sensor ranges in one snapshot)',
    rows,
    seconds: s,
    rowsPerSecond: Math.round(rows / s),
    runs: smxSeconds,
    sameBytesAsPsql: sameParallel,
  });
  emit({
    figure: 'smx export -o file (csv, --workers 1: one COPY, as psql)',
    rows,
    seconds: s1,
    rowsPerSecond: Math.round(rows / s1),
    runs: smxOneSeconds,
    sameBytesAsPsql: same,
  });
  emit({
    figure: 'export ratio smx/psql rows per second (median of alternating rounds)',
    ratio: Math.round((p / s) * 1000) / 1000,
    ratioOneWorker: Math.round((p / s1) * 1000) / 1000,
    target: 0.9,
  });
} finally {
  psql(admin, `drop database if exists ${db} with (force)`);
  rmSync('/tmp/smx-bench-export-psql.csv', { force: true });
  rmSync('/tmp/smx-bench-export-smx.csv', { force: true });
}

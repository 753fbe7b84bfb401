#!/usr/bin/env node
// Benchmark: `smx ingest` against `psql \copy` of the same CSV into a table with the
// same primary key, alternating in one run; then peak memory of a streamed ingest.
// Prints one JSON line per figure. Needs a built tree (npx tsc -p .) and psql.
// Env: SMX_BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
//      SMX_BENCH_ROWS (1000000), SMX_BENCH_ROUNDS (3), SMX_BENCH_WORKERS (2), SMX_BENCH_MEMORY_ROWS (comma list).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const admin = process.env.SMX_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.SMX_BENCH_ROWS ?? 1_000_000);
const rounds = Number(process.env.SMX_BENCH_ROUNDS ?? 3);
const workers = process.env.SMX_BENCH_WORKERS ?? '2';
const memoryRows = (process.env.SMX_BENCH_MEMORY_ROWS ?? '1000000,4000000').split(',').filter(Boolean).map(Number);
const sensors = 100;
const db = `smx_bench_ingest_${process.pid}`;
const url = Object.assign(new URL(admin), { pathname: `/${db}` }).toString();
const smx = path.join(root, 'bin', 'smx');
const env = { ...process.env, SMX_DATABASE_URL: url, SMX_LOG_LEVEL: 'warn' };
const psql = (target, sql) =>
  execFileSync('psql', ['-qX', '-v', 'ON_ERROR_STOP=1', target, '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
const emit = (figure) => console.log(JSON.stringify({ bench: 'ingest', ...figure }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (fn) => {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
};

const days = rows / sensors / 1440;
const file = `/tmp/smx-bench-${rows}.csv`;
if (!existsSync(file))
  execFileSync(
    process.execPath,
    [smx, 'generate', '--sensors', String(sensors), '--days', String(days), '--seed', '1', '-o', file],
    { stdio: 'inherit' },
  );
const bytes = statSync(file).size;

psql(admin, `create database ${db}`);
try {
  execFileSync(process.execPath, [smx, 'migrate'], { env, stdio: 'ignore' });
  psql(
    url,
    'create table psql_baseline (sensor_id text, ts timestamptz, value float8, sensor_type text, unit text, quality real, primary key (sensor_id, ts))',
  );
  const psqlSeconds = [];
  const smxSeconds = [];
  for (let round = 0; round < rounds; round++) {
    psql(url, 'truncate psql_baseline');
    psql(url, 'checkpoint');
    psqlSeconds.push(timed(() => psql(url, `\\copy psql_baseline from '${file}' csv header`)));
    psql(url, 'truncate sensor_readings, sensor_readings_hourly, ingest_batches, sensors');
    psql(url, 'checkpoint');
    smxSeconds.push(
      timed(() => {
        const r = spawnSync(
          process.execPath,
          [smx, 'ingest', file, '--workers', workers, '--idempotency-key', `bench-${round}`, '--json'],
          { env, encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(`smx ingest failed: ${r.stderr}`);
        if (JSON.parse(r.stdout).inserted !== rows) throw new Error('smx ingest did not insert every row');
      }),
    );
  }
  const p = median(psqlSeconds);
  const s = median(smxSeconds);
  emit({
    figure: 'psql \\copy (plain table, same primary key)',
    rows,
    bytes,
    seconds: p,
    rowsPerSecond: Math.round(rows / p),
    runs: psqlSeconds,
  });
  emit({
    figure: 'smx ingest (partitioned, hourly trigger, idempotent)',
    rows,
    workers: Number(workers),
    seconds: s,
    rowsPerSecond: Math.round(rows / s),
    runs: smxSeconds,
  });
  emit({
    figure: 'ingest ratio smx/psql rows per second (median of alternating rounds)',
    ratio: Math.round((p / s) * 1000) / 1000,
    target: 0.9,
  });

  // Peak memory of a streamed ingest: generator → stdin, so no file size limits the test.
  for (const n of memoryRows) {
    psql(url, 'truncate sensor_readings, sensor_readings_hourly, ingest_batches, sensors');
    const d = n / sensors / 1440;
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${smx}" generate --sensors ${sensors} --days ${d} --seed 2 | /usr/bin/time -v "${process.execPath}" "${smx}" ingest - --idempotency-key mem-${n} --workers ${workers} --json`,
      ],
      { env, encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (r.status !== 0) throw new Error(`memory run failed: ${r.stderr}`);
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    const summary = JSON.parse(r.stdout);
    emit({
      figure: 'smx ingest peak RSS, generated stream on stdin',
      rows: n,
      approxBytes: Math.round((bytes / rows) * n),
      peakRssMB: Math.round(rssKb / 1024),
      seconds: summary.seconds,
      rowsPerSecond: summary.rowsPerSecond,
    });
  }
} finally {
  psql(admin, `drop database if exists ${db} with (force)`);
}

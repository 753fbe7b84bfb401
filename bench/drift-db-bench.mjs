#!/usr/bin/env node
// End-to-end benchmark of `smx drift` on Postgres windows: loads SENSORS sensors x ROWS readings per window
// into a fresh bench database, times `smx drift --sensor …` (COPY binary -> Float64Array -> statistics),
// then runs SciPy (python3-scipy) on the same arrays as the baseline. One JSON line per figure.
//   node bench/drift-db-bench.mjs [--rows 1000000] [--sensors 10] [--keep]
// Needs dist/ (npx tsc -p .), a PostgreSQL at SMX_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
// and /usr/bin/python3 with scipy for the baseline (skipped with a note when absent).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rows = Number(arg('rows', '1000000'));
const sensors = Number(arg('sensors', '10'));
const keep = process.argv.includes('--keep');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const adminUrl = process.env.SMX_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `smx_bench_drift_${process.pid}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const emit = (figure) => console.log(JSON.stringify({ bench: 'drift-db', sensors, rowsPerWindow: rows, ...figure }));

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database "${dbName}"`);
const smx = (args, env = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin/smx'), ...args], {
    env: { ...process.env, SMX_DATABASE_URL: dbUrl, SMX_REDIS_URL: '', SMX_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
let db;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'smx-drift-bench-'));
try {
  const migrated = smx(['migrate']);
  if (migrated.status !== 0) throw new Error(migrated.stderr);
  db = new pg.Client({ connectionString: dbUrl });
  db.on('error', () => undefined); // the drop in finally ends it
  await db.connect();
  const stepMs = 100; // 1,000,000 readings = 27.8 h per sensor and window
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date(t0.getTime() + rows * stepMs);
  const t2 = new Date(t1.getTime() + rows * stepMs);
  await db.query('select smx_ensure_partitions($1, $2)', [t0, t2]);
  await db.query('select setseed(0.42)');
  const ids = Array.from({ length: sensors }, (_, i) => `bench-${String(i).padStart(2, '0')}`);
  const loadStart = performance.now();
  for (const [i, id] of ids.entries()) {
    // Box-Muller normals; the odd sensors' current window is shifted by 0.05 sd.
    for (const [from, shift] of [
      [t0, 0],
      [t1, i % 2 ? 0.05 : 0],
    ]) {
      await db.query(
        `insert into sensor_readings (sensor_id, ts, value)
         select $1, $2::timestamptz + (g * $4) * interval '1 millisecond', $5 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
         from generate_series(0, $3 - 1) g`,
        [id, from, rows, stepMs, shift],
      );
    }
  }
  await db.query('vacuum analyze sensor_readings');
  emit({
    figure: 'load-readings-s',
    value: (performance.now() - loadStart) / 1000,
    note: 'bench setup, not part of the drift run',
  });

  const window = (a, b) => `${a.toISOString()}..${b.toISOString()}`;
  for (const method of ['auto', 'ks']) {
    const args = [
      'drift',
      '--sensor',
      ...ids,
      `--reference=${window(t0, t1)}`,
      `--current=${window(t1, t2)}`,
      '--method',
      method,
      '--json',
      '--no-store',
    ];
    const start = performance.now();
    const run = smx(args);
    const wall = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(run.stderr);
    const out = JSON.parse(run.stdout);
    emit({
      figure: `smx-drift-${method}-wall-s`,
      value: wall,
      loadS: out.timings.loadMs / 1000,
      compareS: out.timings.compareMs / 1000,
      drifted: out.report.driftedColumns,
      rowsLoaded: out.reference.rows,
    });
  }

  // SciPy on the same arrays: the windows written as raw float64 files by the same COPY query.
  const python = '/usr/bin/python3';
  const hasScipy = spawnSync(python, ['-c', 'import scipy'], { encoding: 'utf8' }).status === 0;
  if (!hasScipy) emit({ figure: 'scipy-baseline', value: null, note: 'python3-scipy not installed: baseline skipped' });
  else {
    const exportStart = performance.now();
    for (const id of ids)
      for (const [name, a, b] of [
        ['ref', t0, t1],
        ['cur', t1, t2],
      ]) {
        const { rows: r } = await db.query(
          `select value from sensor_readings where sensor_id = $1 and ts >= $2 and ts < $3`,
          [id, a, b],
        );
        writeFileSync(path.join(tmp, `${id}.${name}.f64`), Buffer.from(Float64Array.from(r, (x) => x.value).buffer));
      }
    emit({ figure: 'export-arrays-for-scipy-s', value: (performance.now() - exportStart) / 1000, note: 'bench setup' });
    const script = `
import glob, json, os, sys, time
import numpy as np
from scipy import stats
d = sys.argv[1]
ids = sorted({os.path.basename(p).split('.')[0] for p in glob.glob(os.path.join(d, '*.f64'))})
t = time.perf_counter()
arrs = {i: (np.fromfile(os.path.join(d, i + '.ref.f64')), np.fromfile(os.path.join(d, i + '.cur.f64'))) for i in ids}
load = time.perf_counter() - t
t = time.perf_counter(); ks = [stats.ks_2samp(a, b) for a, b in arrs.values()]; tks = time.perf_counter() - t
t = time.perf_counter(); ws = [stats.wasserstein_distance(a, b) / np.std(a) for a, b in arrs.values()]; tw = time.perf_counter() - t
print(json.dumps({'loadS': load, 'ksS': tks, 'wassersteinS': tw, 'ksDrifted': int(sum(bool(r.pvalue < 0.05) for r in ks)), 'wsDrifted': int(sum(bool(w >= 0.1) for w in ws))}))
`;
    const py = spawnSync(python, ['-c', script, tmp], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (py.status !== 0) throw new Error(py.stderr);
    const s = JSON.parse(py.stdout);
    emit({
      figure: 'scipy-ks-s',
      value: s.ksS,
      drifted: s.ksDrifted,
      note: 'scipy.stats.ks_2samp on in-memory arrays (no database)',
    });
    emit({
      figure: 'scipy-wasserstein-s',
      value: s.wassersteinS,
      drifted: s.wsDrifted,
      note: 'scipy.stats.wasserstein_distance / std(ref), in memory',
    });
    emit({ figure: 'scipy-load-f64-s', value: s.loadS });
  }
} finally {
  await db?.end().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  if (!keep) await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
}

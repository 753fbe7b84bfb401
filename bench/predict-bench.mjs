#!/usr/bin/env node
// Inference throughput of `smx predict` on AI4I (ONNX via onnxruntime-node, streamed in
// 10,000-row chunks), with the in-process JavaScript forest on the same rows as the
// same-run baseline. Needs `npm run build`, the committed models/ai4i-failure and ../shared.
// Prints one JSON line per figure. Usage: node bench/predict-bench.mjs [--rows 200000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SMX_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const rowsArg = process.argv.indexOf('--rows');
const targetRows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 200_000;
const { loadModel } = await import(path.join(root, 'dist/src/registry/load-model.js'));
const { RandomForestClassifier } = await import(path.join(root, 'dist/src/ml/tree/random-forest-classifier.js'));

const model = await loadModel(path.join(root, 'models'), 'ai4i-failure');
const records = parse(readFileSync(path.join(shared, 'data/ai4i2020/ai4i2020.csv')), { columns: true, bom: true });
const names = model.featureNames;
const lines = [names.map((n) => (n.includes(',') ? `"${n}"` : n)).join(',')];
for (let i = 0; lines.length <= targetRows; i = (i + 1) % records.length)
  lines.push(names.map((n) => records[i][n]).join(','));
const dir = mkdtempSync(path.join(os.tmpdir(), 'smx-predict-bench-'));
const input = path.join(dir, 'ai4i-features.csv');
writeFileSync(input, lines.join('\n') + '\n');
const n = lines.length - 1;

// smx predict as a user runs it (process start and model load included in wall time).
const runs = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'bin/smx'), 'predict', 'ai4i-failure', input, '--output', path.join(dir, 'out.csv'), '--json'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, SMX_LOG_LEVEL: 'warn' } },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout);
  runs.push({ wall: (performance.now() - t) / 1000, inner: out.seconds });
}
runs.sort((a, b) => a.inner - b.inner);
const median = runs[1];

// Baseline: the in-process forest (float32 tree walk in JS) on the same rows, already parsed.
const rf = RandomForestClassifier.fromJSON(await model.readModelJson());
const ordinal = model.params.encoding.ordinal;
const data = new Float64Array(n * names.length);
for (let r = 0; r < n; r++) {
  const rec = records[r % records.length];
  names.forEach((name, j) => (data[j * n + r] = ordinal[name] ? ordinal[name][rec[name]] : Number(rec[name])));
}
const t0 = performance.now();
rf.predictProba({ rows: n, cols: names.length, data });
const jsSeconds = (performance.now() - t0) / 1000;
rmSync(dir, { recursive: true, force: true });

const line = (o) => console.log(JSON.stringify(o));
line({
  bench: 'predict',
  figure: 'smx predict rows/s (CSV parse + ONNX + CSV write, median of 3)',
  rows: n,
  value: Math.round(n / median.inner),
  unit: 'rows/s',
  seconds: +median.inner.toFixed(3),
});
line({
  bench: 'predict',
  figure: 'smx predict end-to-end rows/s (incl. process start, model load)',
  rows: n,
  value: Math.round(n / median.wall),
  unit: 'rows/s',
  seconds: +median.wall.toFixed(3),
});
line({
  bench: 'predict',
  figure: 'baseline: in-process JS forest predictProba rows/s (no CSV I/O)',
  rows: n,
  value: Math.round(n / jsSeconds),
  unit: 'rows/s',
  seconds: +jsSeconds.toFixed(3),
});

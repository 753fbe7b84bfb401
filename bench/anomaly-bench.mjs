// PCA monitoring and autoencoder fit/score speed against scikit-learn's PCA and
// IsolationForest on the same array: SKAB's anomaly-free.csv (9,405 rows × 8 sensors).
// Run `npx tsc -p .` first, then `node bench/anomaly-bench.mjs` from the repository root.
// Rounds alternate smx and scikit-learn (bench/anomaly-bench.py, one core each), so a
// load change on a shared machine hits both; each figure is the median of the rounds
// with its same-run baseline and the ratio. Prints one JSON line per figure.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', 'src', 'ml', p));
const { PcaMonitor } = await dist('anomaly/pca-monitor.js');
const { fitAutoencoder, reconstructionErrors, disposeAutoencoder } = await dist('anomaly/autoencoder.js');
const { IsolationForest } = await dist('tree/isolation-forest.js');
const { matrixFromColumns } = await dist('tree/matrix.js');

const shared = process.env.SMX_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const csv = path.join(shared, 'data', 'skab', 'anomaly-free', 'anomaly-free.csv');
const python = process.env.SMX_PYTHON ?? '/usr/bin/python3';
const rounds = Number(process.env.ROUNDS ?? 3);
const COLUMNS = [
  'Accelerometer1RMS',
  'Accelerometer2RMS',
  'Current',
  'Pressure',
  'Temperature',
  'Thermocouple',
  'Voltage',
  'Volume Flow RateRMS',
];

const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(';');
const idx = COLUMNS.map((c) => header.indexOf(c));
const n = lines.length - 1;
const cols = COLUMNS.map(() => new Float64Array(n));
for (let r = 0; r < n; r++) {
  const cells = lines[r + 1].split(';');
  idx.forEach((c, j) => (cols[j][r] = Number(cells[c])));
}
const x = matrixFromColumns(cols);

const emit = (o) => console.log(JSON.stringify({ bench: 'anomaly', rows: n, rounds, ...o }));
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
function rate(fn, rows, minSeconds = 1) {
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minSeconds * 1000) {
    fn();
    reps++;
  }
  return (rows * reps) / ((performance.now() - t0) / 1000);
}
async function rateAsync(fn, rows, minSeconds = 1) {
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minSeconds * 1000) {
    await fn();
    reps++;
  }
  return (rows * reps) / ((performance.now() - t0) / 1000);
}

// Autoencoder windows: 32-row windows (a conv window is a multiple of 4) of the standardised rows (the dense AE of the SKAB tuning), one per row.
const W = 32;
const f = COLUMNS.length;
const mean = cols.map((c) => c.reduce((a, b) => a + b, 0) / n);
const std = cols.map((c, j) => Math.sqrt(c.reduce((a, b) => a + (b - mean[j]) ** 2, 0) / n) || 1);
const nWin = n - W + 1;
const windows = new Float32Array(nWin * W * f);
for (let w = 0; w < nWin; w++)
  for (let t = 0; t < W; t++)
    for (let j = 0; j < f; j++) windows[(w * W + t) * f + j] = (cols[j][w + t] - mean[j]) / std[j];
const aeConfig = (architecture) => ({
  architecture,
  window: W,
  features: f,
  hidden: [32, 8],
  kernelSize: 7,
  dropout: 0.2,
  learningRate: 0.001,
  maxEpochs: 1,
  batchSize: 32,
  patience: 5,
  validationShare: 0.1,
  seed: 0,
});

const options = { components: 0.85, limits: 'theoretical', t2Distribution: 'f', alpha: 0.001, rule: 't2-or-q' };
const results = { smx: {}, sklearn: {} };
const push = (side, key, v) => (results[side][key] ??= []).push(v);
for (let round = 0; round < rounds; round++) {
  const monitor = PcaMonitor.fit(x, options);
  push(
    'smx',
    'pca_fit',
    rate(() => PcaMonitor.fit(x, options), n),
  );
  push(
    'smx',
    'pca_score',
    rate(() => monitor.score(x), n),
  );
  const forest = new IsolationForest({ nEstimators: 100, seed: 0 }).train(x);
  push(
    'smx',
    'iforest_fit',
    rate(() => new IsolationForest({ nEstimators: 100, seed: 0 }).train(x), n),
  );
  push(
    'smx',
    'iforest_score',
    rate(() => forest.scoreSamples(x), n),
  );
  for (const arch of ['dense', 'conv']) {
    // One epoch over 2,000 windows (training rows/s = windows/s), then scoring every window.
    const sub = windows.subarray(0, 2000 * W * f);
    const t0 = performance.now();
    const ae = await fitAutoencoder(sub, 2000, aeConfig(arch), { mean, std });
    push('smx', `${arch}_ae_fit_epoch`, 2000 / ((performance.now() - t0) / 1000));
    push('smx', `${arch}_ae_score`, await rateAsync(async () => reconstructionErrors(ae, windows, nWin), nWin, 0.5));
    disposeAutoencoder(ae);
  }
  const py = JSON.parse(
    execFileSync(python, [path.join(root, 'bench', 'anomaly-bench.py'), csv], { encoding: 'utf8' }),
  );
  for (const k of ['pca_fit', 'pca_score', 'iforest_fit', 'iforest_score']) push('sklearn', k, py[k]);
  results.sklearnVersion = py.sklearn;
}
const pairs = [
  [
    'pca_fit',
    'PCA monitor fit (standardise, covariance, eigen, limits)',
    'pca_fit',
    'scikit-learn StandardScaler + PCA(0.85) fit',
  ],
  ['pca_score', 'PCA monitor scoring (T², Q, alarm score)', 'pca_score', 'scikit-learn transform + T², Q in NumPy'],
  ['iforest_fit', 'isolation forest fit (100 trees)', 'iforest_fit', 'scikit-learn IsolationForest fit'],
  ['iforest_score', 'isolation forest scoring', 'iforest_score', 'scikit-learn score_samples'],
  [
    'dense_ae_fit_epoch',
    'dense autoencoder training, windows/s over one epoch (tfjs CPU)',
    'pca_fit',
    'scikit-learn PCA fit',
  ],
  ['dense_ae_score', 'dense autoencoder scoring, windows/s', 'pca_score', 'scikit-learn PCA scoring'],
  [
    'conv_ae_fit_epoch',
    'conv autoencoder training, windows/s over one epoch (tfjs CPU)',
    'pca_fit',
    'scikit-learn PCA fit',
  ],
  [
    'conv_ae_score',
    'conv autoencoder scoring, windows/s',
    'iforest_score',
    'scikit-learn IsolationForest score_samples',
  ],
];
for (const [key, figure, base, baseline] of pairs) {
  const value = median(results.smx[key]);
  const baselineValue = median(results.sklearn[base]);
  emit({
    figure,
    unit: 'rows/s',
    value: Math.round(value),
    baseline: `${baseline} ${results.sklearnVersion}, same array, same rounds`,
    baselineValue: Math.round(baselineValue),
    ratio: Math.round((value / baselineValue) * 1000) / 1000,
  });
}

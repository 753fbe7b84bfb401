// AI4I 2020 random forest: smx's learner vs scikit-learn on the same 80/20 split.
// Run `npx tsc -p .` first, then `node bench/train-ai4i.mjs` from the repository root.
// The split is scikit-learn's reference split (train_test_split(test_size=0.2,
// random_state=42, stratify=y)), written by bench/train-ai4i.py to a temp file
// and read here, so both learners see the same rows. Prints one JSON line per figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', 'src', 'ml', p));
const { RandomForestClassifier } = await dist('tree/random-forest-classifier.js');
const { matrixFromColumns, selectRows, toRowMajorFloat32 } = await dist('tree/matrix.js');
const { classificationReport } = await dist('metrics/classification-report.js');
const { rocAuc, averagePrecision } = await dist('metrics/ranking-metrics.js');
const { exportForestToOnnx } = await dist('onnx/tree-ensemble-export.js');
const { OnnxModelSession } = await dist('onnx/onnx-session.js');

const shared = process.env.SMX_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const csvPath = path.join(shared, 'data', 'ai4i2020', 'ai4i2020.csv');
const python = process.env.SMX_PYTHON ?? '/usr/bin/python3';
const pyScript = path.join(root, 'bench', 'train-ai4i.py');
const FEATURES = [
  'Type',
  'Air temperature [K]',
  'Process temperature [K]',
  'Rotational speed [rpm]',
  'Torque [Nm]',
  'Tool wear [min]',
];

function loadAi4i() {
  const lines = readFileSync(csvPath, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const header = lines[0].split(',');
  const idx = FEATURES.map((f) => header.indexOf(f));
  const target = header.indexOf('Machine failure');
  const n = lines.length - 1;
  const cols = FEATURES.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const type = { L: 0, M: 1, H: 2 };
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    idx.forEach((c, j) => (cols[j][r] = FEATURES[j] === 'Type' ? type[cells[c]] : Number(cells[c])));
    y[r] = Number(cells[target]);
  }
  return { x: matrixFromColumns(cols), y };
}

const emit = (o) => console.log(JSON.stringify({ bench: 'train-ai4i', ...o }));
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

function ratePerSecond(fn, rows, minSeconds = 1) {
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minSeconds * 1000) {
    fn();
    reps++;
  }
  return (reps * rows) / ((performance.now() - t0) / 1000);
}

const dir = mkdtempSync(path.join(tmpdir(), 'smx-bench-'));
try {
  const splitPath = path.join(dir, 'split.json');
  execFileSync(python, [pyScript, 'split', csvPath, splitPath], { stdio: ['ignore', 'inherit', 'inherit'] });
  const split = JSON.parse(readFileSync(splitPath, 'utf8'));
  const { x, y } = loadAi4i();
  const xTrain = selectRows(x, split.train);
  const yTrain = split.train.map((i) => y[i]);
  const xTest = selectRows(x, split.test);
  const yTest = split.test.map((i) => y[i]);

  // sklearn first, so the two do not compete for the CPU.
  const sk = {};
  const out = execFileSync(python, [pyScript, 'fit', csvPath, splitPath], { encoding: 'utf8' });
  for (const line of out.split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    sk[o.figure] = o.value;
  }

  const times = [];
  let model;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    model = new RandomForestClassifier({ nEstimators: 100, seed: 0 }).train(xTrain, yTrain);
    times.push((performance.now() - t0) / 1000);
  }
  const proba = model.predictProbability(xTest, 1);
  const macroF1 = classificationReport(yTest, model.predict(xTest)).macroF1;

  emit({
    figure: 'fit_seconds_median_of_3',
    smx: median(times),
    sklearn: sk.fit_seconds_median_of_3,
    ratio: median(times) / sk.fit_seconds_median_of_3,
    smx_runs: times,
  });
  emit({ figure: 'macro_f1', smx: macroF1, sklearn: sk.macro_f1, difference: macroF1 - sk.macro_f1 });
  const seedF1 = [0, 1, 2, 3, 4].map(
    (seed) =>
      classificationReport(
        yTest,
        new RandomForestClassifier({ nEstimators: 100, seed }).train(xTrain, yTrain).predict(xTest),
      ).macroF1,
  );
  const meanF1 = seedF1.reduce((a, b) => a + b, 0) / seedF1.length;
  emit({
    figure: 'macro_f1_mean_of_5_seeds',
    smx: meanF1,
    sklearn: sk.macro_f1_mean_of_5_seeds,
    difference: meanF1 - sk.macro_f1_mean_of_5_seeds,
    smx_runs: seedF1,
  });
  emit({ figure: 'roc_auc', smx: rocAuc(yTest, proba), sklearn: sk.roc_auc });
  emit({ figure: 'pr_auc', smx: averagePrecision(yTest, proba), sklearn: sk.pr_auc });

  const inProcess = ratePerSecond(() => model.predictProba(x), x.rows);
  const session = await OnnxModelSession.load(exportForestToOnnx(model, FEATURES), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  try {
    const rows = { data: toRowMajorFloat32(x), rows: x.rows, cols: x.cols };
    await session.classify(rows); // warm-up
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      await session.classify(rows);
      reps++;
    }
    const onnx = (reps * x.rows) / ((performance.now() - t0) / 1000);
    emit({
      figure: 'inference_rows_per_second',
      rows: x.rows,
      smx_in_process: inProcess,
      smx_onnxruntime_1_thread: onnx,
      sklearn: sk.inference_rows_per_second,
    });
  } finally {
    await session.release();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

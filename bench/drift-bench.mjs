// Drift engine benchmark: 10 columns x 1,000,000 rows per window (seeded synthetic
// data written once to temporary little-endian float64 files that both sides read).
// Times compareDatasets with the full statistics set (KS + p-value, PSI, Wasserstein
// raw and normed) against SciPy ks_2samp + wasserstein_distance + numpy PSI on the
// same arrays. Prints one JSON line per figure with its baseline and the ratio.
// Run after `npx tsc -p .`:  node bench/drift-bench.mjs [rows] [columns]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist', 'src', 'drift');
const { compareDatasets } = await import(path.join(dist, 'compare.js'));
const { Random } = await import(path.join(dist, '..', 'random.js'));
const createRandom = (seed) => new Random(seed);

const rows = Number(process.argv[2] ?? 1_000_000);
const columns = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'smx-drift-bench-'));

function writeWindow(file, seed, shifted) {
  const random = createRandom(seed);
  const data = new Float64Array(columns * rows);
  for (let k = 0; k < columns; k++) {
    // Half the columns move in the current window: a mean shift or a scale change.
    const shift = shifted && k % 2 === 1 ? 0.05 * k : 0;
    const scale = shifted && k % 4 === 3 ? 1.2 : 1;
    const rounding = k % 3 === 2 ? 100 : 0; // some columns with heavy ties
    for (let i = 0; i < rows; i++) {
      let v = shift + scale * random.nextNormal();
      if (rounding) v = Math.round(v * rounding) / rounding;
      data[k * rows + i] = v;
    }
  }
  writeFileSync(file, new Uint8Array(data.buffer));
}

try {
  const refFile = path.join(dir, 'reference.f64');
  const curFile = path.join(dir, 'current.f64');
  writeWindow(refFile, 1, false);
  writeWindow(curFile, 2, true);

  const load = (file) => {
    const bytes = readFileSync(file);
    const all = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    const cols = {};
    for (let k = 0; k < columns; k++)
      cols[`f${k}`] = { kind: 'numeric', values: all.subarray(k * rows, (k + 1) * rows) };
    return { columns: cols };
  };
  const reference = load(refFile);
  const current = load(curFile);

  const start = performance.now();
  const report = compareDatasets(reference, current);
  const smxSeconds = (performance.now() - start) / 1000;

  const py = JSON.parse(
    execFileSync('/usr/bin/python3', [path.join(here, 'drift-bench.py'), dir, String(columns), String(rows)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );

  // Agreement check on the same arrays (relative difference, worst column).
  let worst = { ks: 0, p: 0, w: 0, wn: 0, psi: 0 };
  report.columns.forEach((c, k) => {
    const s = py.columns[k];
    const mine = {
      ks: c.numeric.ks.statistic,
      p: c.numeric.ks.pvalue,
      w: c.numeric.wasserstein,
      wn: c.numeric.wassersteinNormed,
      psi: c.numeric.psi,
    };
    for (const key of Object.keys(worst)) {
      const rel = mine[key] === s[key] ? 0 : Math.abs(mine[key] - s[key]) / Math.max(Math.abs(s[key]), 1e-300);
      worst[key] = Math.max(worst[key], rel);
    }
  });
  const line = (o) => console.log(JSON.stringify(o));
  line({
    figure: `compareDatasets ${columns}x${rows} (KS+p, PSI, Wasserstein raw+normed)`,
    seconds: Number(smxSeconds.toFixed(3)),
    baseline: 'scipy 1.10 ks_2samp + wasserstein_distance + numpy PSI',
    baseline_seconds: Number(py.seconds.toFixed(3)),
    ratio: Number((smxSeconds / py.seconds).toFixed(3)),
  });
  line({
    figure: 'max relative difference vs SciPy on the same arrays',
    ...Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, Number(v.toExponential(2))])),
  });
  line({
    figure: 'drifted columns',
    drifted: report.driftedColumns,
    of: report.testedColumns,
    datasetDrift: report.datasetDrift,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

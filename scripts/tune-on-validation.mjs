#!/usr/bin/env node
// Choose anomaly settings by looking at the validation groups only.
//
//   node scripts/tune-on-validation.mjs PIPELINE.yaml GRID.json [--state DIR]
//
// GRID.json is {"dotted.key": [values…], …}; every combination is run through
// the stage cache (a changed evaluation setting re-runs the evaluation only)
// and one JSON line per combination is printed with the validation groups'
// figures: after-baseline pool (f1, far, mar, rocAuc) and, for per-group
// splits, SKAB's all-rows pool (f1All, farAll). Test-group figures are never
// printed: the pipeline's `split.validationGroups` must name the groups to
// tune on (it refuses a pipeline without them). Each group's model depends on
// that group only, so only the validation files are read and fitted
// (`source.files` is narrowed to them for a per-group split). Needs `npx tsc` first (dist/).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadPipeline } = await import(path.join(root, 'dist/src/pipeline/load-pipeline.js'));
const { buildStages } = await import(path.join(root, 'dist/src/ml/pipelines/build-stages.js'));
const { runStages } = await import(path.join(root, 'dist/src/pipeline/run-stages.js'));
const { fileStageCache } = await import(path.join(root, 'dist/src/pipeline/stage-cache.js'));

const args = process.argv.slice(2);
const stateAt = args.indexOf('--state');
const stateDir = stateAt >= 0 ? args.splice(stateAt, 2)[1] : path.join(root, '.smx');
const [file, gridFile] = args;
if (!file || !gridFile) {
  console.error('usage: node scripts/tune-on-validation.mjs PIPELINE.yaml GRID.json [--state DIR]');
  process.exit(2);
}
const grid = JSON.parse(readFileSync(gridFile, 'utf8'));
const keys = Object.keys(grid);
const combos = keys.reduce((acc, k) => acc.flatMap((c) => grid[k].map((v) => ({ ...c, [k]: v }))), [{}]);
const cache = fileStageCache(stateDir);

/** A `source.files` override listing the validation groups' files (group `<folder>/<file>` of a `<dir>/<folder>/*` entry). */
function validationFilesOnly(spec) {
  const files = spec.split.validationGroups.map((group) => {
    const [folder, name] = group.split('/');
    const entry = spec.source.files.find((f) => path.basename(path.dirname(f.path)) === folder);
    if (!entry || /[*?]/.test(group)) throw new Error(`cannot find the file of validation group ${group}`);
    return { ...entry, path: `${path.dirname(entry.path)}/${name}` };
  });
  return { key: 'source.files', path: ['source', 'files'], value: files };
}
const round = (v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
for (const combo of combos) {
  const overrides = Object.entries(combo).map(([k, v]) => ({
    key: k,
    path: k.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    value: v,
  }));
  const first = loadPipeline(path.resolve(file), overrides);
  if (!first.spec.split.validationGroups?.length) {
    console.error('the pipeline names no split.validationGroups: nothing to tune on');
    process.exit(2);
  }
  // A per-group model depends on its own group only; a novelty detector also needs its fit groups' files.
  const narrow = first.spec.split.kind === 'per-group' ? [validationFilesOnly(first.spec)] : [];
  const loaded = loadPipeline(path.resolve(file), [...overrides, ...narrow]);
  const started = performance.now();
  const run = await runStages(buildStages(loaded.spec), {
    cache,
    want: ['evaluation'],
    context: { cwd: process.cwd(), env: process.env },
  });
  const d = run.outputs.get('evaluation').detail;
  const v = d.validation ?? {};
  const a = d.validationAllRows ?? {};
  console.log(
    JSON.stringify({
      ...combo,
      f1: round(v.f1),
      far: round(v.far),
      mar: round(v.mar),
      rocAuc: round(v.rocAuc),
      f1All: round(a.f1),
      farAll: round(a.far),
      seconds: round((performance.now() - started) / 1000),
    }),
  );
}

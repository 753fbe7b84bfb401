import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildStages, datasetNodeId } from '../../../src/ml/pipelines/build-stages.js';
import { pipelineRunKey } from '../../../src/ml/pipelines/evaluate-pipeline.js';
import type { Metrics } from '../../../src/ml/pipelines/evaluate-stage.js';
import type { Dataset, SplitPlan } from '../../../src/ml/pipelines/types.js';
import { packageRoot } from '../../../src/package-root.js';
import { loadPipeline, type LoadedPipeline } from '../../../src/pipeline/load-pipeline.js';
import { runStages } from '../../../src/pipeline/run-stages.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { readRegistry } from '../../../src/registry/registry-index.js';
import { sharedDir, skipWithoutShared } from '../../helpers/shared.js';

/**
 * The pipelines in pipelines/, the models committed in models/ and the figures
 * in docs/models.md must not drift apart: a stage version bumped without
 * retraining would make `smx train` from a clean checkout register a new
 * version instead of reproducing the committed one, and a retrained model
 * without a docs update would leave docs/models.md quoting old figures.
 */
const pipelinesDir = path.join(packageRoot, 'pipelines');
const modelsDir = path.join(packageRoot, 'models');
const shipped = readdirSync(pipelinesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const context = { cwd: packageRoot, env: { ...process.env, SMX_SHARED_DIR: sharedDir } };
const load = (file: string): LoadedPipeline => loadPipeline(path.join(pipelinesDir, file));
const champion = async (name: string) => {
  const entry = (await readRegistry(modelsDir)).models[name];
  const version = entry?.aliases.champion;
  return version === undefined ? undefined : entry!.versions.find((v) => v.version === version);
};
const championMetrics = (name: string, version: number) =>
  JSON.parse(readFileSync(path.join(modelsDir, name, String(version), 'metrics.json'), 'utf8')) as Metrics;

describe('shipped pipelines', () => {
  it('every file in pipelines/ validates', () => {
    assert.ok(shipped.length >= 7, `found ${shipped.join(', ')}`);
    for (const file of shipped) assert.doesNotThrow(() => load(file), file);
  });

  it('AI4I uses neither the target, the failure modes nor the identifiers as features', async () => {
    const { spec } = load('ai4i-failure-rf.yaml');
    assert.deepEqual([...spec.target.leakage].sort(), ['HDF', 'OSF', 'PWF', 'RNF', 'TWF']);
    const v = await champion(spec.registration.name);
    assert.ok(v, 'ai4i-failure has a committed champion');
    const features = readFileSync(
      path.join(modelsDir, spec.registration.name, String(v.version), 'feature_names.txt'),
      'utf8',
    )
      .trim()
      .split('\n');
    for (const column of ['Machine failure', 'TWF', 'HDF', 'PWF', 'OSF', 'RNF', 'UDI', 'Product ID'])
      assert.ok(!features.includes(column), `${column} is a feature`);
    assert.equal(features.length, 6);
  });
});

describe('committed models and docs/models.md match the shipped pipelines', { skip: skipWithoutShared() }, () => {
  const fileSourced = shipped.filter((f) => load(f).spec.source.kind !== 'sql');

  /**
   * Several pipelines may register one name (skab-current-forecast: the MLP and
   * the statistical forecaster), and only one of them is its champion: each
   * must reproduce a committed version, and every champion must be one of them.
   */
  const reproduced = async (file: string) => {
    const { spec } = load(file);
    const runKey = await pipelineRunKey(spec, { cache: memoryStageCache(), context });
    const entry = (await readRegistry(modelsDir)).models[spec.registration.name];
    return { spec, version: entry?.versions.find((v) => v.runKey === runKey) };
  };

  it('each file-sourced pipeline, as it stands, is a committed version (same data, code and params), and each name’s champion is one of them', async () => {
    const championed = new Map<string, boolean>();
    for (const file of fileSourced) {
      const { spec, version } = await reproduced(file);
      const name = spec.registration.name;
      assert.ok(
        version,
        `${file}: no committed version of ${name} has this run key; retrain it (smx train pipelines/${file}), promote if it should be the champion, and update docs/models.md`,
      );
      const c = await champion(name);
      championed.set(name, (championed.get(name) ?? false) || c?.version === version.version);
    }
    for (const [name, ok] of championed)
      assert.ok(ok, `${name}'s champion is not what any shipped pipeline reproduces`);
  });

  it("docs/models.md's results table quotes the figures of the version each pipeline reproduces", async () => {
    const doc = readFileSync(path.join(packageRoot, 'docs', 'models.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const line of doc.split('\n')) {
      const m = /^\| `([a-z0-9-]+)` \(([a-z0-9-]+)\) \|/.exec(line);
      if (m) rows.set(m[1]!, line);
    }
    const labels: Array<[string, string]> = [
      ['macro-F1', 'macro_f1'],
      ['ROC-AUC', 'roc_auc'],
      ['PR-AUC', 'pr_auc'],
      ['accuracy', 'accuracy'],
      ['MAE', 'mae'],
    ];
    for (const file of shipped) {
      const { spec } = load(file);
      const row = rows.get(spec.name);
      assert.ok(row, `docs/models.md has no results row for ${spec.name}`);
      if (spec.source.kind === 'sql') continue; // sensor-hourly-if: trained on the database, no committed version
      const { version: v } = await reproduced(file);
      if (!v) continue; // reported by the test above
      const measured = row.split(' | ')[3]!;
      const m = championMetrics(spec.registration.name, v.version);
      const quoted = (value: number, text: string) => text === value.toFixed(text.split('.')[1]?.length ?? 0);
      const primary = /-?[0-9]+\.[0-9]+/g; // a NAB score can be negative
      assert.ok(
        (measured.match(primary) ?? []).some((t) => quoted(m.primary.value, t)),
        `${spec.name}: ${m.primary.name} ${m.primary.value} not in "${measured}"`,
      );
      for (const [label, key] of labels) {
        const first = new RegExp(`\\b${label} (?:\\*\\*)?([0-9]+\\.[0-9]+)`).exec(measured);
        const value = m.metrics[key];
        if (first && value !== undefined)
          assert.ok(quoted(value, first[1]!), `${spec.name}: docs say ${label} ${first[1]}, metrics.json has ${value}`);
      }
    }
  });

  it('SKAB status: no experiment file is on both sides of any fold', async () => {
    const { spec } = load('skab-status-rf.yaml');
    const id = datasetNodeId(spec);
    const run = await runStages(buildStages(spec), { cache: memoryStageCache(), context, want: [id, 'split'] });
    const ds = run.outputs.get(id) as Dataset;
    const plan = run.outputs.get('split') as SplitPlan;
    assert.equal(ds.groups.names.length, 30);
    const tested = new Set<number>();
    for (const fold of plan.folds) {
      const fitGroups = new Set(Array.from(fold.fit, (r) => ds.groups.index[r]));
      for (const r of fold.test) {
        assert.ok(
          !fitGroups.has(ds.groups.index[r]),
          `${ds.groups.names[ds.groups.index[r] as number]} in fit and test`,
        );
        tested.add(ds.groups.index[r] as number);
      }
    }
    assert.equal(tested.size, 30, 'every experiment is tested once');
  });
});

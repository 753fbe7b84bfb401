import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isSmxError } from '../../../src/errors.js';
import { buildStages, datasetNodeId } from '../../../src/ml/pipelines/build-stages.js';
import { evaluatePredictions } from '../../../src/ml/pipelines/evaluate-stage.js';
import { windowStatsStage } from '../../../src/ml/pipelines/features/window-stages.js';
import type { RulUnit } from '../../../src/ml/pipelines/rul-evaluation.js';
import { splitStage } from '../../../src/ml/pipelines/split-stage.js';
import type { Dataset, SplitPlan, TrainedModel } from '../../../src/ml/pipelines/types.js';
import { packageRoot } from '../../../src/package-root.js';
import { loadPipeline, parsePipeline, type PipelineIssue } from '../../../src/pipeline/load-pipeline.js';
import { runStages } from '../../../src/pipeline/run-stages.js';
import type { SplitSpec } from '../../../src/pipeline/schema.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { sharedDir, sharedPath, skipWithoutShared } from '../../helpers/shared.js';

const context = { cwd: '.', env: {} };

/**
 * Three units: a and b ran to failure (fit), c was cut early with 4 cycles
 * left (test). One row per cycle; x is noise-free wear, time = cycle.
 */
const units: Dataset = {
  shape: 'dataset',
  featureNames: ['x'],
  rows: 10,
  data: Float64Array.of(0, 1, 2, 3, 0, 1, 2, 0, 1, 2),
  target: Float64Array.of(3, 2, 1, 0, 2, 1, 0, 5, 5, 4),
  truth: Float64Array.of(3, 2, 1, 0, 2, 1, 0, 6, 5, 4),
  groups: { names: ['train#a', 'train#b', 'test#c'], index: Int32Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2) },
  time: Float64Array.of(1, 2, 3, 4, 1, 2, 3, 1, 2, 3),
  encoding: { ordinal: {} },
};

function trainedWith(rows: Int32Array, scores: number[]): TrainedModel {
  return {
    kind: 'random-forest-regressor',
    model: null,
    featureNames: ['x'],
    encoding: { ordinal: {} },
    params: {},
    fitRows: 7,
    fitSeconds: 0,
    test: { rows, scores: Float64Array.from(scores), predicted: null, baselines: null },
    fitScores: null,
    classes: null,
  };
}

describe('remaining-useful-life evaluation', () => {
  it('scores one prediction per test unit at its last row against the uncapped truth, beside the baselines', async () => {
    const plan = await splitStage.run({ kind: 'groups', test: ['test#*'], use: 'test' }, [units], context);
    assert.deepEqual(Array.from(plan.folds[0]!.test), [7, 8, 9]);
    const m = evaluatePredictions({ kind: 'rul' }, units, plan, trainedWith(plan.folds[0]!.test, [5, 5, 6]));
    // Last row of c: predicted 6, truth 4 → d = +2.
    assert.equal(m.primary.name, 'rmse');
    assert.equal(m.metrics.units, 1);
    assert.equal(m.metrics.rmse, 2);
    assert.ok(Math.abs(m.metrics.nasa_score! - (Math.exp(0.2) - 1)) < 1e-12);
    // Every test row against the capped target: errors 0, 0, 2.
    assert.ok(Math.abs(m.metrics.rmse_all_rows! - Math.sqrt(4 / 3)) < 1e-12);
    // Constant baseline: mean fit target (3+2+1+0+2+1+0)/7 = 9/7; age only: mean fit target at age 2 (third row) = (1+0)/2.
    assert.ok(Math.abs(m.metrics.constant_rmse! - Math.abs(9 / 7 - 4)) < 1e-12);
    assert.equal(m.metrics.age_only_rmse, 3.5);
    const detail = m.detail.units as RulUnit[];
    assert.deepEqual(detail, [{ group: 'test#c', age: 2, truth: 4, predicted: 6 }]);
  });

  it('validation folds never contain a test unit, and truncated validation units are scored at their cut', async () => {
    const more: Dataset = {
      ...units,
      rows: 13,
      data: Float64Array.of(0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 0, 1, 2),
      target: Float64Array.of(3, 2, 1, 0, 2, 1, 0, 5, 5, 4, 2, 1, 0),
      truth: Float64Array.of(3, 2, 1, 0, 2, 1, 0, 6, 5, 4, 2, 1, 0),
      groups: {
        names: [...units.groups.names, 'train#d'],
        index: Int32Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3),
      },
      time: Float64Array.of(1, 2, 3, 4, 1, 2, 3, 1, 2, 3, 1, 2, 3),
    };
    const spec: SplitSpec = {
      kind: 'groups',
      test: ['test#*'],
      validation: { folds: 3, truncate: true, seed: 1 },
      use: 'validation',
    };
    const plan = await splitStage.run(spec, [more], context);
    assert.equal(plan.mode, 'validation');
    assert.equal(plan.folds.length, 3);
    const tested = new Set<number>();
    for (const fold of plan.folds) {
      const fitGroups = new Set(Array.from(fold.fit, (r) => more.groups.index[r]));
      for (const r of [...fold.fit, ...fold.test]) assert.notEqual(more.groups.index[r], 2, 'test unit c is left out');
      for (const r of fold.test) {
        assert.ok(!fitGroups.has(more.groups.index[r]), 'a validation unit is not fitted on');
        tested.add(more.groups.index[r] as number);
      }
      // Truncation keeps a leading run of each unit's rows.
      const rows = Array.from(fold.test);
      assert.deepEqual(
        rows,
        Array.from({ length: rows.length }, (_, i) => rows[0]! + i),
      );
    }
    assert.deepEqual([...tested].sort(), [0, 1, 3]);
    const again = await splitStage.run(spec, [more], context);
    assert.deepEqual(again, plan, 'the cut is seeded');
  });

  it('window-stats with label: value keeps the newest row’s numeric target and truth', async () => {
    const ds = await windowStatsStage.run(
      { kind: 'window-stats', window: 2, hop: 1, label: 'value' },
      [units],
      context,
    );
    assert.deepEqual(Array.from(ds.target!), [2, 1, 0, 1, 0, 5, 4]);
    assert.deepEqual(Array.from(ds.truth!), [2, 1, 0, 1, 0, 5, 4]);
    const last = await windowStatsStage.run(
      { kind: 'window-stats', window: 2, hop: 1, label: 'last' },
      [units],
      context,
    );
    assert.deepEqual(Array.from(last.target!), [1, 1, 0, 1, 0, 1, 1], 'the other rules still give 0/1');
    assert.equal(last.truth, undefined);
  });

  it('window-stats with minRows also makes rows for a unit’s first cycles over shorter trailing windows', async () => {
    const ds = await windowStatsStage.run(
      { kind: 'window-stats', window: 3, hop: 1, label: 'value', minRows: 2 },
      [units],
      context,
    );
    // Unit a (x = 0..3): windows [0,1], [0,1,2], [1,2,3]; units b and c (x = 0..2): [0,1], [0,1,2].
    assert.deepEqual(Array.from(ds.data.subarray(0, ds.rows)), [0.5, 1, 2, 0.5, 1, 0.5, 1]);
    assert.deepEqual(Array.from(ds.data.subarray(4 * ds.rows, 5 * ds.rows)), [1, 1, 1, 1, 1, 1, 1], 'slopes');
    assert.deepEqual(Array.from(ds.target!), [2, 1, 0, 1, 0, 5, 4]);
    assert.deepEqual(Array.from(ds.position!), [1, 2, 3, 1, 2, 1, 2]);
  });
});

describe('remaining-useful-life pipelines are validated', () => {
  const pipeline = (features: string, evaluation = 'rul') => `name: rul
description: engines
source:
  kind: csv
  delimiter: whitespace
  columns: [unit, cycle, s1, end]
  groupColumn: unit
  files:
    - path: train.txt
target:
  column: rul
features:
${features}
split:
  kind: groups
  test: ["*test*"]
model:
  kind: random-forest-regressor
evaluation:
  kind: ${evaluation}
registration:
  name: rul
  domain: engine
`;
  function issuesOf(text: string): PipelineIssue[] {
    try {
      parsePipeline(text, 'p.yaml');
    } catch (error) {
      assert.ok(isSmxError(error), String(error));
      return (error.details as { issues: PipelineIssue[] }).issues;
    }
    assert.fail('expected the pipeline to be rejected');
  }
  const rulStage = `  - kind: rul-target
    cycle: cycle
    endOfLife: end`;

  it('accepts rul-target before tabular with a rul evaluation', () => {
    const { spec } = parsePipeline(pipeline(`${rulStage}\n  - kind: tabular\n    numeric: [s1, cycle]`));
    assert.deepEqual(spec.features[0], {
      kind: 'rul-target',
      cycle: 'cycle',
      cap: 125,
      endOfLife: 'end',
      column: 'rul',
    });
  });

  it('rejects the uncapped life or the end-of-life column as a feature, and a rul evaluation without rul-target', () => {
    const issues = issuesOf(pipeline(`${rulStage}\n  - kind: tabular\n    numeric: [s1, rul_uncapped, end]`));
    assert.deepEqual(
      issues.map((i) => i.path),
      ['features.1.numeric.1', 'features.1.numeric.2'],
    );
    assert.match(issues[0]!.message, /uncapped remaining life/);
    const noTarget = issuesOf(pipeline(`  - kind: tabular\n    numeric: [s1]`));
    assert.ok(noTarget.some((i) => i.path === 'evaluation.kind' && /needs a rul-target/.test(i.message)));
    const afterTabular = issuesOf(pipeline(`  - kind: tabular\n    numeric: [s1]\n${rulStage}`));
    assert.ok(afterTabular.some((i) => i.path === 'features.1.kind' && /takes a table source/.test(i.message)));
  });
});

describe('C-MAPSS FD001 through the pipeline stages', { skip: skipWithoutShared() }, () => {
  it('targets count down per unit, test units end at their truth-file value, and a perfect model scores 0', async () => {
    const loaded = loadPipeline(path.join(packageRoot, 'pipelines', 'cmapss-fd001-rul-rf.yaml'));
    const id = datasetNodeId(loaded.spec);
    const run = await runStages(buildStages(loaded.spec), {
      cache: memoryStageCache(),
      context: { cwd: packageRoot, env: { ...process.env, SMX_SHARED_DIR: sharedDir } },
      want: [id, 'split'],
    });
    const ds = run.outputs.get(id) as Dataset;
    const plan = run.outputs.get('split') as SplitPlan;
    assert.equal(ds.groups.names.length, 200);
    const rowsOf = (name: string) => {
      const g = ds.groups.names.indexOf(name);
      return Array.from(ds.groups.index.keys()).filter((r) => ds.groups.index[r] === g);
    };
    // Training unit 1 fails at cycle 192: its first 30-cycle window ends at cycle 30 with 162 cycles left (capped 125).
    const train1 = rowsOf('cmapss/train_FD001.txt#1');
    assert.equal(train1.length, 192 - 29);
    assert.equal(ds.truth![train1[0]!], 162);
    assert.equal(ds.target![train1[0]!], 125);
    assert.equal(ds.target![train1.at(-1)!], 0);
    // Test unit 1 stops at cycle 31 with 112 left (RUL_FD001.txt line 1).
    const test1 = rowsOf('cmapss/test_FD001.txt#1');
    assert.deepEqual(
      test1.map((r) => ds.truth![r]),
      [113, 112],
    );
    const fold = plan.folds[0]!;
    assert.equal(new Set(Array.from(fold.test, (r) => ds.groups.index[r])).size, 100);
    const truth = readFileSync(sharedPath('data', 'cmapss', 'RUL_FD001.txt'), 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const perfect = evaluatePredictions(
      { kind: 'rul' },
      ds,
      plan,
      trainedWith(
        fold.test,
        Array.from(fold.test, (r) => ds.truth![r]!),
      ),
    );
    assert.deepEqual(
      (perfect.detail.units as RulUnit[]).map((u) => u.truth),
      truth,
    );
    assert.equal(perfect.metrics.rmse, 0);
    assert.equal(perfect.metrics.nasa_score, 0);
    // The capped truth forgives nothing here: 11 units have more than 125 cycles left (up to 145).
    assert.ok(Math.abs(perfect.metrics.rmse_capped_truth! - 3.7376463) < 1e-6);
  });
});

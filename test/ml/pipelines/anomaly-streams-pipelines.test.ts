import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildStages, datasetNodeId } from '../../../src/ml/pipelines/build-stages.js';
import type { Dataset, SplitPlan, SourceTable } from '../../../src/ml/pipelines/types.js';
import { packageRoot } from '../../../src/package-root.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { runStages } from '../../../src/pipeline/run-stages.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { sharedDir, skipWithoutShared } from '../../helpers/shared.js';

const context = { cwd: packageRoot, env: { ...process.env, SMX_SHARED_DIR: sharedDir } };
const run = async (file: string, want: string[], overrides: Parameters<typeof loadPipeline>[1] = []) => {
  const { spec } = loadPipeline(path.join(packageRoot, 'pipelines', file), overrides);
  return { spec, run: await runStages(buildStages(spec), { cache: memoryStageCache(), context, want }) };
};

describe('streaming and machine-level anomaly pipelines on the real data', { skip: skipWithoutShared() }, () => {
  it('NAB: labels are the rows inside combined_windows.json, and the test file never tunes anything', async () => {
    const { spec, run: r } = await run('nab-machine-temp-stream.yaml', ['source', 'split']);
    const table = r.outputs.get('source') as SourceTable;
    const label = table.columns.label as Float64Array;
    const machine = table.groups.names.indexOf('nab/machine_temperature_system_failure.csv');
    let inWindows = 0;
    let rows = 0;
    table.groups.index.forEach((g, i) => {
      if (g === machine) {
        rows++;
        inWindows += label[i]!;
      }
    });
    assert.equal(rows, 22_695);
    assert.equal(inWindows, 2_268); // MANIFEST: 2,268 rows (10.0 %) in the 4 windows
    const plan = r.outputs.get('split') as SplitPlan;
    assert.ok(plan.folds[0]!.fit.every((row) => table.groups.index[row] !== machine));
    assert.equal(spec.split.kind, 'validation');
  });

  it('MIMII: every group fits on its own normal clips only; fit, validation and test never share a clip', async () => {
    const { spec, run: r } = await run('mimii-pump-novelty.yaml', [
      datasetNodeId(loadPipeline(path.join(packageRoot, 'pipelines', 'mimii-pump-novelty.yaml')).spec),
      'split',
    ]);
    const ds = r.outputs.get(datasetNodeId(spec)) as Dataset;
    const plan = r.outputs.get('split') as SplitPlan;
    assert.equal(ds.rows, 12_615);
    assert.equal(ds.groups.names.length, 12);
    assert.equal(plan.folds.length, 12 * 5);
    for (const fold of plan.folds) {
      const group = fold.group!;
      const all = [...fold.fit, ...fold.validation!, ...fold.test];
      assert.equal(new Set(all).size, all.length, 'a clip on two sides');
      assert.ok(
        all.every((row) => ds.groups.index[row] === group),
        'a clip from another group',
      );
      assert.ok(
        [...fold.fit].every((row) => ds.target![row] === 1),
        'an abnormal clip among the fitted ones',
      );
      const abnormal = (rows: Int32Array) => [...rows].filter((row) => ds.target![row] === 0).length;
      assert.ok(abnormal(fold.validation!) > 0 && abnormal(fold.test) > 0);
    }
  });
});

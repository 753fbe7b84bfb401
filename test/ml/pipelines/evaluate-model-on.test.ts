import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { buildStages } from '../../../src/ml/pipelines/build-stages.js';
import { evaluateModelOn, pipelineDataset } from '../../../src/ml/pipelines/evaluate-model-on.js';
import { trainPipeline } from '../../../src/train/train-pipeline.js';
import type { SplitPlan } from '../../../src/ml/pipelines/types.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { runStages } from '../../../src/pipeline/run-stages.js';
import { fileStageCache } from '../../../src/pipeline/stage-cache.js';
import { loadModel } from '../../../src/registry/load-model.js';
import { tempDir } from '../../helpers/database.js';
import { writeSyntheticPipeline } from './synthetic-pipeline.js';

const dir = tempDir('smx-evaluate-on-');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('evaluateModelOn (champion/challenger scoring from code)', () => {
  it('reproduces the registered metrics on the same test rows and scores any other rows', async () => {
    const { pipeline } = writeSyntheticPipeline(dir);
    const loaded = loadPipeline(pipeline);
    const options = { cwd: dir, env: {}, stateDir: path.join(dir, 'state'), modelsDir: path.join(dir, 'models') };
    const trained = await trainPipeline(loaded, options);
    const model = await loadModel(options.modelsDir, `${trained.registered.name}@${trained.registered.version}`);
    const ds = await pipelineDataset(loaded, options);
    const plan = (
      await runStages(buildStages(loaded.spec), {
        cache: fileStageCache(options.stateDir),
        context: { cwd: dir, env: {} },
        want: ['split'],
      })
    ).outputs.get('split') as SplitPlan;
    const again = await evaluateModelOn(model, ds, { rows: plan.folds[0]!.test });
    assert.equal(again.metrics.macro_f1, trained.metrics.metrics.macro_f1);
    assert.equal(again.metrics.roc_auc, trained.metrics.metrics.roc_auc);
    const all = await evaluateModelOn(model, ds);
    assert.equal(all.nTest, ds.rows);
    await assert.rejects(evaluateModelOn(model, { ...ds, featureNames: ['x', 'y', 'z'] }), /lacks/);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildStages, datasetNodeId } from '../../../src/ml/pipelines/build-stages.js';
import { anomalyScores, datasetMatrix } from '../../../src/ml/pipelines/model-stage.js';
import { onnxFor, treeModelFromJson } from '../../../src/ml/pipelines/model-codec.js';
import type { Dataset, SplitPlan, TrainedModel } from '../../../src/ml/pipelines/types.js';
import { OnnxModelSession } from '../../../src/ml/onnx/onnx-session.js';
import { IsolationForest } from '../../../src/ml/tree/isolation-forest.js';
import { RandomForestClassifier } from '../../../src/ml/tree/random-forest-classifier.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { runStages } from '../../../src/pipeline/run-stages.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { packageRoot } from '../../../src/package-root.js';
import { sharedDir, skipWithoutShared } from '../../helpers/shared.js';

/** Runs a shipped pipeline up to the model, in memory, and returns the test split with the fitted model. */
async function fitted(file: string) {
  const { spec } = loadPipeline(path.join(packageRoot, 'pipelines', file));
  const id = datasetNodeId(spec);
  const run = await runStages(buildStages(spec), {
    cache: memoryStageCache(),
    context: { cwd: packageRoot, env: { ...process.env, SMX_SHARED_DIR: sharedDir } },
    want: [id, 'split', 'model'],
  });
  const ds = run.outputs.get(id) as Dataset;
  const plan = run.outputs.get('split') as SplitPlan;
  const trained = run.outputs.get('model') as TrainedModel;
  return { ds, test: datasetMatrix(ds, plan.folds[0]!.test), trained };
}

describe('ONNX export agrees with the in-process model on the test split', { skip: skipWithoutShared() }, () => {
  it('AI4I random forest: same probabilities (float32) and the same predicted class on every test row', async () => {
    const { test, trained } = await fitted('ai4i-failure-rf.yaml');
    const rf = treeModelFromJson(trained.kind, trained.model) as RandomForestClassifier;
    const inProcess = rf.predictProba(test);
    const session = await OnnxModelSession.load(onnxFor(trained.kind, trained.model, trained.featureNames)!);
    try {
      const onnx = await session.classify(test);
      assert.equal(onnx.probabilities.length, inProcess.length);
      let maxDiff = 0;
      for (let i = 0; i < inProcess.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs((onnx.probabilities[i] as number) - (inProcess[i] as number)));
      assert.ok(maxDiff < 1e-6, `largest probability difference ${maxDiff}`);
      const labels = rf.predict(test);
      assert.deepEqual(Array.from(onnx.labels), Array.from(labels));
      assert.equal(test.rows, 2000);
    } finally {
      await session.release();
    }
  });

  it('CWRU isolation forest: same anomaly scores on every test window', async () => {
    const { test, trained } = await fitted('cwru-bearing-if.yaml');
    const forest = treeModelFromJson(trained.kind, trained.model) as IsolationForest;
    const inProcess = anomalyScores(forest, test);
    assert.deepEqual(
      Array.from(inProcess),
      Array.from(trained.test.scores),
      'the registered model scored the test rows',
    );
    const session = await OnnxModelSession.load(onnxFor(trained.kind, trained.model, trained.featureNames)!);
    try {
      const { score } = await session.scoreAnomalies(test);
      let maxDiff = 0;
      for (let i = 0; i < inProcess.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(-(score[i] as number) - (inProcess[i] as number)));
      assert.ok(maxDiff < 1e-6, `largest score difference ${maxDiff}`);
    } finally {
      await session.release();
    }
  });
});

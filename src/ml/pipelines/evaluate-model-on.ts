import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inputError, usageError } from '../../errors.js';
import { parsePipeline, type LoadedPipeline } from '../../pipeline/load-pipeline.js';
import { runStages } from '../../pipeline/run-stages.js';
import type { EvaluationSpec } from '../../pipeline/schema.js';
import { fileStageCache, memoryStageCache } from '../../pipeline/stage-cache.js';
import type { StoredModel } from './stored-model.js';
import { buildStages, datasetNodeId } from './build-stages.js';
import { evaluatePredictions, type Metrics } from './evaluate-stage.js';
import { subset } from './features/dataset-ops.js';
import { datasetMatrix, anomalyScores, positiveScores } from './model-stage.js';
import { treeModelFromJson } from './model-codec.js';
import type { PipelineRunOptions } from './model-artefact.js';
import type { Dataset, TrainedModel } from './types.js';
import { PcaMonitor, type PcaMonitorJson } from '../anomaly/pca-monitor.js';
import { IsolationForest, type IsolationForestJson } from '../tree/isolation-forest.js';
import { RandomForestRegressor } from '../tree/random-forest-regressor.js';
import { servedModelJson } from './detectors/detector-stage.js';
import { RandomForestClassifier } from '../tree/random-forest-classifier.js';

/**
 * For champion/challenger decisions: scores a registered tree model on a
 * dataset (e.g. fresh data built by the same pipeline) and returns the same
 * metrics.json structure training wrote, so two versions are compared on
 * identical rows. The evaluation settings default to the model's frozen
 * pipeline.yaml; isolation forests keep the alarm threshold fixed at training.
 */
export async function evaluateModelOn(
  model: StoredModel,
  ds: Dataset,
  options: { evaluation?: EvaluationSpec; rows?: Int32Array } = {},
): Promise<Metrics> {
  if (['mlp-forecaster', 'statistical-forecaster', 'autoencoder'].includes(model.entry.modelKind))
    throw usageError(
      `evaluateModelOn scores tree and PCA models; retrain a ${model.entry.modelKind} with trainPipeline and compare its metrics`,
    );
  const evaluation =
    options.evaluation ??
    parsePipeline(await readFile(path.join(model.dir, 'pipeline.yaml'), 'utf8'), path.join(model.dir, 'pipeline.yaml'))
      .spec.evaluation;
  const order = model.featureNames.map((f) => ds.featureNames.indexOf(f));
  const missing = model.featureNames.filter((_, j) => order[j]! < 0);
  if (missing.length)
    throw inputError(`the dataset lacks ${model.name}@${model.version}'s features: ${missing.join(', ')}`);
  const aligned: Dataset = { ...ds, featureNames: model.featureNames, data: reorder(ds, order) };
  const rows = options.rows ?? Int32Array.from({ length: ds.rows }, (_, i) => i);
  const x = datasetMatrix(aligned, rows);
  const kind = model.entry.modelKind as TrainedModel['kind'];
  const plan = {
    mode: 'holdout' as const,
    folds: [{ fit: new Int32Array(0), test: rows }],
    finalFit: new Int32Array(0),
    describe: `${rows.length} rows given to evaluateModelOn`,
  };
  const served = servedModelJson(await model.readModelJson());
  if (kind === 'pca-monitor' || kind === 'isolation-forest') {
    // The alarm threshold was fixed at training; it is applied as a limit, whatever rule set it.
    const scores =
      kind === 'pca-monitor'
        ? PcaMonitor.fromJSON(served as PcaMonitorJson).score(x)
        : anomalyScores(IsolationForest.fromJSON(served as IsolationForestJson), x);
    const threshold = Number(model.params.alarmThreshold);
    const trained: TrainedModel = {
      ...base(kind, model, ds),
      fitScores: Float64Array.of(threshold),
      anomaly: {
        fit: { rows: new Int32Array(0), scores: Float64Array.of(threshold) },
        calibration: null,
        limit: threshold,
      },
      test: { rows, scores, predicted: null, baselines: null },
    };
    const spec =
      evaluation.kind === 'anomaly'
        ? { ...evaluation, threshold: { rule: 'model-limit' as const, margin: 1 } }
        : evaluation;
    return evaluatePredictions(spec, aligned, plan, trained);
  }
  const tree = treeModelFromJson(kind, served);
  let trained: TrainedModel;
  if (tree instanceof RandomForestClassifier) {
    const p = positiveScores(tree.predictProba(x), tree.classes);
    trained = {
      ...base(kind, model, ds),
      classes: tree.classes,
      test: { rows, scores: p.scores, predicted: p.predicted, baselines: null },
    };
  } else if (tree instanceof RandomForestRegressor) {
    trained = { ...base(kind, model, ds), test: { rows, scores: tree.predict(x), predicted: null, baselines: null } };
  } else throw usageError(`evaluateModelOn cannot score a ${kind}`);
  return evaluatePredictions(evaluation, aligned, plan, trained);
}

const base = (kind: TrainedModel['kind'], model: StoredModel, ds: Dataset) => ({
  kind,
  model: null,
  featureNames: model.featureNames,
  encoding: ds.encoding,
  params: model.params,
  fitRows: 0,
  fitSeconds: 0,
  classes: null,
  fitScores: null,
});

function reorder(ds: Dataset, order: number[]): Float64Array {
  const out = new Float64Array(ds.rows * order.length);
  order.forEach((j, k) => out.set(ds.data.subarray(j * ds.rows, (j + 1) * ds.rows), k * ds.rows));
  return out;
}

/** The dataset a pipeline builds (through the stage cache unless `stateDir` is empty), e.g. to score a champion on fresh data. */
export async function pipelineDataset(loaded: LoadedPipeline, options: PipelineRunOptions): Promise<Dataset> {
  const id = datasetNodeId(loaded.spec);
  const run = await runStages(buildStages(loaded.spec), {
    cache: options.cache ?? (options.stateDir ? fileStageCache(options.stateDir) : memoryStageCache()),
    force: options.force,
    want: [id],
    context: { cwd: options.cwd, env: options.env ?? process.env, signal: options.signal, database: options.database },
  });
  return run.outputs.get(id) as Dataset;
}

export { subset };

import type { PipelineSpec } from '../../pipeline/schema.js';
import { seedsOf } from '../../pipeline/seeds.js';
import type { StageContext } from '../../pipeline/stage.js';
import { runStages, type StageReport } from '../../pipeline/run-stages.js';
import type { StageCache } from '../../pipeline/stage-cache.js';
import { buildStages, datasetNodeId } from './build-stages.js';
import type { Metrics } from './evaluate-stage.js';
import { buildSeedGraph, seedMetrics, seedRunKey } from './seed-runs.js';
import type { Dataset, TrainedModel } from './types.js';

/** A pipeline's evaluated model, before anything is registered. */
export interface PipelineEvaluation {
  /** The model to register: the only run's, or the seed nearest the mean's. */
  trained: TrainedModel;
  /** metrics.json: one run's, or the means over seeds with `seeds` (src/ml/pipelines/seed-runs.ts). */
  metrics: Metrics;
  /** The run's identity: the evaluation stage's key, or (over seeds) a key over every seed's. */
  runKey: string;
  stages: StageReport[];
  dataHashes: Record<string, string>;
  /** The dataset the registered model was evaluated on (loaded on demand: an up-to-date run does not need it). */
  dataset(): Promise<Dataset>;
}

export interface EvaluatePipelineOptions {
  cache: StageCache;
  context: StageContext;
  force?: boolean | undefined;
  /** Overrides the pipeline's `seeds:` (e.g. `smx train --seeds N`). */
  seeds?: number[] | undefined;
}

/**
 * Runs a pipeline's stage graph through the cache: once as written, or (with
 * `seeds:`) once per seed in one combined graph whose seed-free stages run
 * once. Over seeds, every seed's evaluation is computed first, then only the
 * model of the seed nearest the mean is loaded.
 */
export async function evaluatePipeline(
  spec: PipelineSpec,
  options: EvaluatePipelineOptions,
): Promise<PipelineEvaluation> {
  const seeds = options.seeds ?? seedsOf(spec);
  const runOptions = { cache: options.cache, force: options.force, context: options.context };
  if (!seeds) {
    const run = await runStages(buildStages(spec), { ...runOptions, want: ['model', 'evaluation'] });
    return {
      trained: run.outputs.get('model') as TrainedModel,
      metrics: run.outputs.get('evaluation') as Metrics,
      runKey: run.keys.get('evaluation')!,
      get stages() {
        return run.reports;
      },
      dataHashes: run.fingerprints.get('source')?.dataHashes ?? {},
      dataset: async () => (await run.resolve(datasetNodeId(spec))) as Dataset,
    };
  }
  const graph = buildSeedGraph(spec, seeds);
  const evaluationIds = graph.runs.map((r) => r.ids.get('evaluation')!);
  const run = await runStages(graph.nodes, { ...runOptions, want: evaluationIds });
  const metrics = seedMetrics(
    graph.runs.map((r, i) => ({ seed: r.seed, metrics: run.outputs.get(evaluationIds[i]!) as Metrics })),
  );
  const chosen = graph.runs.find((r) => r.seed === metrics.seeds!.registered)!;
  const trained = (await run.resolve(chosen.ids.get('model')!)) as TrainedModel;
  return {
    trained,
    metrics,
    runKey: seedRunKey(graph.runs.map((r, i) => ({ seed: r.seed, evaluationKey: run.keys.get(evaluationIds[i]!)! }))),
    get stages() {
      return run.reports;
    },
    dataHashes: run.fingerprints.get('source')?.dataHashes ?? {},
    dataset: async () => (await run.resolve(chosen.ids.get(datasetNodeId(spec))!)) as Dataset,
  };
}

/** The run key a pipeline would have, without running anything but its sources' fingerprints. */
export async function pipelineRunKey(spec: PipelineSpec, options: EvaluatePipelineOptions): Promise<string> {
  const seeds = options.seeds ?? seedsOf(spec);
  const runOptions = { cache: options.cache, context: options.context, want: [] };
  if (!seeds) return (await runStages(buildStages(spec), runOptions)).keys.get('evaluation')!;
  const graph = buildSeedGraph(spec, seeds);
  const run = await runStages(graph.nodes, runOptions);
  return seedRunKey(graph.runs.map((r) => ({ seed: r.seed, evaluationKey: run.keys.get(r.ids.get('evaluation')!)! })));
}

import type { Queryable } from '../../db/db.js';
import type { LoadedPipeline } from '../../pipeline/load-pipeline.js';
import type { StageCache } from '../../pipeline/stage-cache.js';
import type { Metrics } from '../metrics/types.js';
import type { ReportData } from '../report/report-section.js';
import { buildReportData } from '../report/report-sections.js';
import { isPerGroupModel } from './detectors/detector-stage.js';
import type { PipelineEvaluation } from './evaluate-pipeline.js';
import { quantile } from './evaluate-stage.js';
import { onnxFor } from './model-codec.js';
import type { TrainedModel } from './types.js';

/** Where and how a pipeline runs: its folder and environment, the stage cache, the database for SQL sources. */
export interface PipelineRunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Local state (.smx): the stage cache lives in <stateDir>/cache/stages. */
  stateDir: string;
  /** Re-run every stage. */
  force?: boolean;
  signal?: AbortSignal;
  database?: () => Promise<Queryable>;
  cache?: StageCache;
}

/**
 * A trained model and every file a registry keeps beside it: what training
 * hands over, before (and whether or not) anything is registered. The
 * registration itself (name, tags, claims) comes from the pipeline and the
 * caller (train/train-pipeline.ts).
 */
export interface ModelArtefact {
  modelKind: string;
  /** The in-process model as JSON (model.json). */
  model: unknown;
  /** The ONNX export of a tree model (model.onnx), or null. */
  onnx: Uint8Array | null;
  featureNames: string[];
  /** params.json: the resolved hyperparameters plus what serving needs. */
  params: Record<string, unknown>;
  metrics: Metrics;
  /** The pipeline as run (params applied). */
  pipelineYaml: string;
  dataHashes: Record<string, string>;
  /** Identity of the run (the evaluation stage's cache key, or one over every seed's). */
  runKey: string;
  /** The training report's figures (report-data.json), computed on demand: an up-to-date run does not need them. */
  reportData(): Promise<ReportData>;
}

/** The artefact of an evaluated pipeline (its ONNX export is made here: call it only to register). */
export function modelArtefact(loaded: LoadedPipeline, evaluation: PipelineEvaluation): ModelArtefact {
  const { trained, metrics } = evaluation;
  return {
    modelKind: trained.kind,
    model: trained.model,
    onnx: onnxFor(trained.kind, trained.model, trained.featureNames),
    featureNames: trained.featureNames,
    params: servingParams(trained, metrics),
    metrics,
    pipelineYaml: loaded.frozenYaml,
    dataHashes: evaluation.dataHashes,
    runKey: evaluation.runKey,
    reportData: () => trainingReportData(loaded, evaluation),
  };
}

/** The training report's figures for an evaluated pipeline (loads its dataset). */
export async function trainingReportData(loaded: LoadedPipeline, evaluation: PipelineEvaluation): Promise<ReportData> {
  const { trained, metrics } = evaluation;
  return buildReportData({ evaluation: loaded.spec.evaluation, dataset: await evaluation.dataset(), trained, metrics });
}

/** What params.json holds: the resolved hyperparameters plus what serving needs (encoding, thresholds, classes). */
export function servingParams(trained: TrainedModel, metrics: Metrics): Record<string, unknown> {
  const out: Record<string, unknown> = { modelKind: trained.kind, model: trained.params, encoding: trained.encoding };
  if (trained.classes) out.classes = trained.classes;
  if (metrics.kind === 'classification') out.threshold = metrics.detail.threshold;
  if (metrics.kind === 'anomaly') Object.assign(out, alarmParams(trained, metrics));
  return out;
}

/**
 * The alarm threshold `smx predict` applies: the one threshold of a pooled rule,
 * or the served group's (a per-group run serves its last group's model); with
 * one threshold per scored group under one model, their median. Every group's
 * threshold is kept beside it.
 */
function alarmParams(trained: TrainedModel, metrics: Metrics): Record<string, unknown> {
  const d = metrics.detail as {
    threshold?: number | null;
    thresholds?: Record<string, number>;
    thresholdRule?: { rule: string; quantile?: number };
  };
  const map = d.thresholds ?? {};
  const served = isPerGroupModel(trained.model) ? trained.model.served : undefined;
  const values = Object.values(map);
  const threshold =
    served !== undefined && map[served] !== undefined
      ? map[served]
      : typeof d.threshold === 'number'
        ? d.threshold
        : quantile(values, 0.5);
  return {
    alarmThreshold: threshold,
    ...(d.thresholdRule?.rule === 'fit-quantile' ? { alarmThresholdQuantile: d.thresholdRule.quantile } : {}),
    ...(d.thresholdRule ? { alarmThresholdRule: d.thresholdRule } : {}),
    ...(values.length > 1 ? { alarmThresholds: map } : {}),
    ...(served !== undefined ? { servedGroup: served } : {}),
  };
}

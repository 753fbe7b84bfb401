import type { Queryable } from '../../db/db.js';
import type { LoadedPipeline } from '../../pipeline/load-pipeline.js';
import type { StageReport } from '../../pipeline/run-stages.js';
import { fileStageCache, type StageCache } from '../../pipeline/stage-cache.js';
import { registerModel } from '../../registry/register-model.js';
import { readRegistry } from '../../registry/registry-index.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportData } from '../report/report-section.js';
import { buildReportData } from '../report/report-sections.js';
import { evaluatePipeline } from './evaluate-pipeline.js';
import { quantile, type Metrics } from './evaluate-stage.js';
import { isPerGroupModel } from './detectors/detector-stage.js';
import { onnxFor } from './model-codec.js';
import type { TrainedModel } from './types.js';

export interface TrainOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Local state (.smx): the stage cache lives in <stateDir>/cache/stages. */
  stateDir: string;
  modelsDir: string;
  /** Re-run every stage and register a new version even if this exact run is registered. */
  force?: boolean;
  signal?: AbortSignal;
  database?: () => Promise<Queryable>;
  cache?: StageCache;
  /** Extra registry tags for a new version (retrain records its data window here). */
  tags?: Record<string, string>;
  /** Evaluate over these seeds instead of the pipeline's `seeds:` (`smx train --seeds N`). */
  seeds?: number[];
}

export interface TrainResult {
  pipeline: string;
  name: string;
  stages: StageReport[];
  /** Nothing changed: every result came from the cache and this run is already registered. */
  upToDate: boolean;
  metrics: Metrics;
  registered: { name: string; version: number; dir: string; champion: boolean; reused: boolean };
  runKey: string;
  dataHashes: Record<string, string>;
  /** The training report's figures: the registered version's report-data.json, or computed from this run. */
  reportData(): Promise<ReportData>;
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

/**
 * Runs a validated pipeline through the stage cache and registers the model.
 * A run whose evaluation key matches a registered version of the same name is
 * not registered twice (unless `force`): an unchanged pipeline re-run from a
 * clean checkout reproduces the committed version instead of adding a new one.
 */
export async function trainPipeline(loaded: LoadedPipeline, options: TrainOptions): Promise<TrainResult> {
  const { spec } = loaded;
  const cache = options.cache ?? fileStageCache(options.stateDir);
  const evaluation = await evaluatePipeline(spec, {
    cache,
    force: options.force,
    seeds: options.seeds,
    context: { cwd: options.cwd, env: options.env ?? process.env, signal: options.signal, database: options.database },
  });
  const { trained, metrics, runKey, dataHashes } = evaluation;
  const computeReportData = async () =>
    buildReportData({ evaluation: spec.evaluation, dataset: await evaluation.dataset(), trained, metrics });
  const name = spec.registration.name;

  const index = await readRegistry(options.modelsDir);
  const existing = options.force ? undefined : index.models[name]?.versions.find((v) => v.runKey === runKey);
  let registered: TrainResult['registered'];
  if (existing) {
    registered = {
      name,
      version: existing.version,
      dir: `${options.modelsDir}/${name}/${existing.version}`,
      champion: index.models[name]?.aliases.champion === existing.version,
      reused: true,
    };
  } else {
    options.signal?.throwIfAborted();
    const r = await registerModel(options.modelsDir, {
      name,
      domain: spec.registration.domain,
      // `watches` is indexed so the retrain planner reads it from registry.json (src/retrain/pipeline-trainer.ts).
      tags: { ...options.tags, ...(spec.watches ? { watches: JSON.stringify(spec.watches) } : {}) },
      description: spec.description,
      modelKind: trained.kind,
      model: trained.model,
      onnx: onnxFor(trained.kind, trained.model, trained.featureNames),
      featureNames: trained.featureNames,
      params: servingParams(trained, metrics),
      metrics,
      pipelineYaml: loaded.frozenYaml,
      dataHashes,
      runKey,
      claims: spec.registration.claims,
      reportData: await computeReportData(),
    });
    registered = { name, version: r.version, dir: r.dir, champion: r.champion, reused: false };
  }
  const stages = evaluation.stages;
  const upToDate = registered.reused && stages.every((s) => s.status !== 'ran');
  const stored = path.join(registered.dir, 'report-data.json');
  const reportData = async () =>
    existsSync(stored) ? (JSON.parse(await readFile(stored, 'utf8')) as ReportData) : computeReportData();
  return { pipeline: loaded.file, name, stages, upToDate, metrics, registered, runKey, dataHashes, reportData };
}

import type { Clock } from '../clock.js';
import type { LoadedPipeline } from '../pipeline/load-pipeline.js';
import type { StageReport } from '../pipeline/run-stages.js';
import { fileStageCache } from '../pipeline/stage-cache.js';
import { registerModel } from '../registry/register-model.js';
import { readRegistry } from '../registry/registry-index.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metrics } from '../ml/metrics/types.js';
import type { ReportData } from '../ml/report/report-section.js';
import { evaluatePipeline } from '../ml/pipelines/evaluate-pipeline.js';
import { modelArtefact, trainingReportData, type PipelineRunOptions } from '../ml/pipelines/model-artefact.js';

/**
 * Training as `smx train` and `smx retrain` run it: the one function above
 * ml/ (which evaluates a pipeline into a model artefact and knows nothing of
 * the registry) and registry/ (which stores artefacts and knows nothing of
 * pipelines).
 */
export interface TrainOptions extends PipelineRunOptions {
  modelsDir: string;
  /** Extra registry tags for a new version (retrain records its data window here). */
  tags?: Record<string, string>;
  /** Evaluate over these seeds instead of the pipeline's `seeds:` (`smx train --seeds N`). */
  seeds?: number[];
  /** The clock of the version's createdAt (default: the system's). */
  now?: Clock;
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
  const { metrics, runKey, dataHashes } = evaluation;
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
    const artefact = modelArtefact(loaded, evaluation);
    const r = await registerModel(
      options.modelsDir,
      {
        ...artefact,
        name,
        domain: spec.registration.domain,
        // `watches` is indexed so the retrain planner reads it from registry.json (src/retrain/pipeline-trainer.ts).
        tags: { ...options.tags, ...(spec.watches ? { watches: JSON.stringify(spec.watches) } : {}) },
        description: spec.description,
        claims: spec.registration.claims,
        reportData: await artefact.reportData(),
      },
      { now: options.now },
    );
    registered = { name, version: r.version, dir: r.dir, champion: r.champion, reused: false };
  }
  const stages = evaluation.stages;
  const upToDate = registered.reused && stages.every((s) => s.status !== 'ran');
  const stored = path.join(registered.dir, 'report-data.json');
  const reportData = async () =>
    existsSync(stored)
      ? (JSON.parse(await readFile(stored, 'utf8')) as ReportData)
      : trainingReportData(loaded, evaluation);
  return { pipeline: loaded.file, name, stages, upToDate, metrics, registered, runKey, dataHashes, reportData };
}

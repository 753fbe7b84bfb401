/**
 * The real Trainer: retrain over the pipeline runner and the model registry.
 *
 * - targets: models whose champion carries the registry tag `watches` (written
 *   by trainPipeline from the pipeline's `watches:` key).
 * - train: re-runs the champion's frozen pipeline.yaml (exactly what made the
 *   serving model) with its SQL data window bound to [from, heldOutFrom) and
 *   registers the result as a new version. registerModel makes only a first
 *   version champion, so the challenger is never promoted here.
 * - evaluate: builds the version's own pipeline dataset on [heldOutFrom, to)
 *   and scores the registered model with evaluateModelOn. A challenger re-run
 *   from the champion's pipeline therefore sees the same rows as the champion.
 * - promote: the registry's promote (registry.json and MANIFEST.sha256).
 *
 * Only SQL sources that use ${SMX_WINDOW_FROM} and ${SMX_WINDOW_TO} can be
 * retrained: a file source has no window, so training and held-out data would
 * overlap and the comparison would flatter whichever model saw the test rows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../db/db.js';
import { usageError } from '../errors.js';
import { evaluateModelOn, pipelineDataset } from '../ml/pipelines/evaluate-model-on.js';
import type { Metrics } from '../ml/pipelines/evaluate-stage.js';
import { usesWindow } from '../ml/pipelines/sources/sql-window.js';
import { trainPipeline } from '../train/train-pipeline.js';
import { parsePipeline, type LoadedPipeline } from '../pipeline/load-pipeline.js';
import { watchesSchema } from '../pipeline/schema.js';
import { loadModel, type LoadedModel } from '../registry/load-model.js';
import { readRegistry } from '../registry/registry-index.js';
import { promote } from '../registry/registry-ops.js';
import type { DataWindow, EvaluationMetrics, RetrainTarget, Trainer } from './types.js';

export interface PipelineTrainerOptions {
  modelsDir: string;
  /** Local state (.smx): the stage cache. */
  stateDir: string;
  /** Where relative paths in pipelines resolve (the working directory of `smx train`). */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  database: () => Promise<Queryable>;
}

/** The registry tag `watches` (JSON of the pipeline's `watches:`) as a retrain target; undefined when absent or unreadable. */
export function targetFromTag(model: string, tag: string | undefined): RetrainTarget | undefined {
  if (tag === undefined) return undefined;
  let parsed;
  try {
    parsed = watchesSchema.safeParse(JSON.parse(tag));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const w = parsed.data;
  if (w === 'all') return { model, allSensors: true };
  return { model, ...(w.sensors ? { sensors: w.sensors } : {}), ...(w.sensorType ? { sensorType: w.sensorType } : {}) };
}

/** What "better" can mean for each evaluation: unlabelled anomaly scores cannot rank two detectors. */
export function toEvaluationMetrics(m: Metrics): EvaluationMetrics {
  const values: Record<string, number> = { rows: m.nTest };
  for (const [k, v] of Object.entries(m.metrics)) if (Number.isFinite(v)) values[k] = v;
  const out: EvaluationMetrics = { primary: m.primary, values };
  if (m.kind === 'anomaly' && m.primary.name === 'alarm_share') {
    out.notComparable =
      "the held-out window has no labels, so alarm_share (the share of rows above each version's own alarm threshold) says how often a detector alarms, not whether it is right";
  }
  return out;
}

async function frozenPipeline(model: LoadedModel): Promise<LoadedPipeline> {
  const file = path.join(model.dir, 'pipeline.yaml');
  const loaded = parsePipeline(await readFile(file, 'utf8'), file);
  const source = loaded.spec.source;
  if (source.kind !== 'sql' || !usesWindow(source.query)) {
    throw usageError(
      `${model.name}@${model.version} reads ${source.kind === 'sql' ? 'a SQL query without a data window' : `${source.kind} files`}; retrain needs a SQL source whose query filters on \${SMX_WINDOW_FROM} and \${SMX_WINDOW_TO}, so training and held-out data never overlap.`,
      {
        hint: 'e.g. `where bucket >= ${SMX_WINDOW_FROM} and bucket < ${SMX_WINDOW_TO}` (see pipelines/sensor-hourly-if.yaml), then smx train and smx models promote the new version.',
      },
    );
  }
  if (model.entry.modelKind === 'mlp-forecaster' || model.entry.modelKind === 'statistical-forecaster')
    throw usageError(
      `${model.name} is a forecaster; retrain compares tree models on held-out rows (evaluateModelOn), not forecasters yet.`,
    );
  return loaded;
}

export function createPipelineTrainer(options: PipelineTrainerOptions): Trainer {
  const env = options.env ?? process.env;
  const windowEnv = (from: string, to: string): NodeJS.ProcessEnv => ({
    ...env,
    SMX_WINDOW_FROM: from,
    SMX_WINDOW_TO: to,
  });
  const version = (model: string, v: string) =>
    loadModel(options.modelsDir, { name: model, selector: { version: Number(v) } });
  return {
    async targets() {
      const index = await readRegistry(options.modelsDir);
      const out: RetrainTarget[] = [];
      for (const [name, entry] of Object.entries(index.models)) {
        const champion = entry.versions.find((v) => v.version === entry.aliases.champion);
        const target = targetFromTag(name, champion?.tags.watches);
        if (target) out.push(target);
      }
      return out;
    },

    async champion(model) {
      const n = (await readRegistry(options.modelsDir)).models[model]?.aliases.champion;
      return n === undefined ? undefined : String(n);
    },

    async train(model, window: DataWindow, signal) {
      const champion = await loadModel(options.modelsDir, { name: model, selector: { alias: 'champion' } });
      const loaded = await frozenPipeline(champion);
      const result = await trainPipeline(loaded, {
        cwd: options.cwd,
        env: windowEnv(window.from, window.heldOutFrom),
        stateDir: options.stateDir,
        modelsDir: options.modelsDir,
        // Always a new version: a challenger identical to an earlier run is still this run's challenger.
        force: true,
        signal,
        database: options.database,
        tags: { trainedOn: `${window.from}..${window.heldOutFrom}`, retrainedFrom: String(champion.version) },
      });
      return { version: String(result.registered.version) };
    },

    async evaluate(model, v, window: DataWindow, signal) {
      const loadedModel = await version(model, v);
      const loaded = await frozenPipeline(loadedModel);
      const ds = await pipelineDataset(loaded, {
        cwd: options.cwd,
        env: windowEnv(window.heldOutFrom, window.to),
        stateDir: options.stateDir,
        signal,
        database: options.database,
      });
      signal.throwIfAborted();
      return toEvaluationMetrics(await evaluateModelOn(loadedModel, ds, { evaluation: loaded.spec.evaluation }));
    },

    async promote(model, v) {
      await promote(options.modelsDir, model, Number(v));
    },
  };
}

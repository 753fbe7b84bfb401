/**
 * The reference window of `smx drift --model`: the rows a registered model was
 * fitted on. The version's frozen pipeline.yaml runs again up to its split
 * (through the stage cache, so a second check reads the cached dataset), and
 * the split plan's `finalFit` rows are kept — the training rows of a holdout
 * split, every row for group-kfold and unsplit pipelines — as the model saw
 * them, in feature_names.txt order. Ordinal features (AI4I's Type) are decoded
 * back to their labels, so both sides compare categories as `smx predict`
 * reads them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../db/db.js';
import { inputError, isSmxError, SmxError } from '../../errors.js';
import { buildStages, datasetNodeId } from '../../ml/pipelines/build-stages.js';
import type { Dataset, SplitPlan } from '../../ml/pipelines/types.js';
import { parsePipeline } from '../../pipeline/load-pipeline.js';
import { runStages } from '../../pipeline/run-stages.js';
import { fileStageCache, memoryStageCache } from '../../pipeline/stage-cache.js';
import type { LoadedModel } from '../../registry/load-model.js';
import type { DriftColumn, DriftDataset } from '../types.js';

export type OrdinalMaps = Record<string, Record<string, number>>;

export interface ModelReferenceOptions {
  /** Relative data paths in the pipeline resolve from here (as `smx train` does). */
  cwd: string;
  /** Local state: the stage cache lives in <stateDir>/cache/stages; absent: an in-memory cache. */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  database?: () => Promise<Queryable>;
}

export interface ModelReference {
  dataset: DriftDataset & { columns: Map<string, DriftColumn> };
  /** e.g. "ai4i-failure@1 training rows (stratified 80/20, seed 42): 8,000 of 10,000". */
  label: string;
  /** The split as the pipeline describes it. */
  split: string;
  notes: string[];
}

/** The ordinal codes stored at training (params.json `encoding.ordinal`). */
export function ordinalMaps(model: Pick<LoadedModel, 'params'>): OrdinalMaps {
  return (model.params.encoding as { ordinal?: OrdinalMaps } | undefined)?.ordinal ?? {};
}

/** Code → label for one ordinal map; codes outside it keep their number as text. */
export function decodeOrdinal(values: Float64Array, map: Record<string, number>): (string | null)[] {
  const labels = new Map(Object.entries(map).map(([label, code]) => [code, label]));
  return Array.from(values, (v) => (Number.isNaN(v) ? null : (labels.get(v) ?? String(v))));
}

/** Pure: the given rows of a column-major dataset, one drift column per feature, in `featureNames` order. */
export function datasetRowsColumns(
  ds: Dataset,
  rows: Int32Array,
  featureNames: readonly string[],
  ordinal: OrdinalMaps,
): Map<string, DriftColumn> {
  const columns = new Map<string, DriftColumn>();
  for (const name of featureNames) {
    const j = ds.featureNames.indexOf(name);
    if (j < 0)
      throw inputError(
        `The rebuilt dataset has no feature ${JSON.stringify(name)}; it has ${ds.featureNames.join(', ')}.`,
      );
    const values = new Float64Array(rows.length);
    const base = j * ds.rows;
    for (let k = 0; k < rows.length; k++) values[k] = ds.data[base + rows[k]!]!;
    const map = ordinal[name];
    columns.set(name, map ? { kind: 'categorical', values: decodeOrdinal(values, map) } : { kind: 'numeric', values });
  }
  return columns;
}

/** A retrained version records its data window as tags.trainedOn = "FROM..TO"; a windowed SQL source needs it back. */
function trainingEnv(model: LoadedModel, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const window = /^(.+)\.\.(.+)$/.exec(model.entry.tags.trainedOn ?? '');
  return window ? { ...env, SMX_WINDOW_FROM: window[1], SMX_WINDOW_TO: window[2] } : env;
}

async function recordedDataHashes(model: LoadedModel): Promise<Set<string> | null> {
  try {
    return new Set(
      Object.values(
        JSON.parse(await readFile(path.join(model.dir, 'data-hashes.json'), 'utf8')) as Record<string, string>,
      ),
    );
  } catch {
    return null;
  }
}

export async function loadModelReference(model: LoadedModel, options: ModelReferenceOptions): Promise<ModelReference> {
  const label = `${model.name}@${model.version}`;
  const file = path.join(model.dir, 'pipeline.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw inputError(`${label} is incomplete: ${file} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
      hint: 'Check the registry with smx validate-hashes, or restore models/ from git.',
    });
  }
  const spec = parsePipeline(text, file).spec;
  const datasetId = datasetNodeId(spec);
  let outputs: Map<string, unknown>;
  let fingerprint: Record<string, string> | undefined;
  try {
    const run = await runStages(buildStages(spec), {
      cache: options.stateDir ? fileStageCache(options.stateDir) : memoryStageCache(),
      want: [datasetId, 'split'],
      context: {
        cwd: options.cwd,
        env: trainingEnv(model, options.env ?? process.env),
        signal: options.signal,
        database: options.database,
      },
    });
    outputs = run.outputs;
    fingerprint = run.fingerprints.get('source')?.dataHashes;
  } catch (error) {
    // The usual case: ../shared (or another data folder) is not where the frozen pipeline expects it.
    if (isSmxError(error) && error.code === 'NOT_FOUND') {
      throw new SmxError('NOT_FOUND', `Cannot rebuild ${label}'s training data: ${error.message}`, {
        hint: error.hint,
        details: error.details,
        cause: error,
      });
    }
    throw error;
  }
  const ds = outputs.get(datasetId) as Dataset;
  const plan = outputs.get('split') as SplitPlan;
  const columns = datasetRowsColumns(ds, plan.finalFit, model.featureNames, ordinalMaps(model));

  const notes: string[] = [];
  const recorded = await recordedDataHashes(model);
  if (recorded && fingerprint && !Object.values(fingerprint).every((h) => recorded.has(h))) {
    notes.push(
      `the pipeline's source data differs from what ${label} was trained on (data-hashes.json): the reference is rebuilt from the data as it is now`,
    );
  }
  const fit = plan.finalFit.length;
  const rows =
    fit === ds.rows
      ? `all ${ds.rows.toLocaleString('en-US')} rebuilt rows`
      : `the fit rows of ${ds.rows.toLocaleString('en-US')} rebuilt`;
  return {
    dataset: { columns, totalRows: fit, sampled: false },
    label: `${label} training rows (split: ${plan.describe}; ${rows})`,
    split: plan.describe,
    notes,
  };
}

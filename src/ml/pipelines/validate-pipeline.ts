import { usageError } from '../../errors.js';
import type { LoadedPipeline } from '../../pipeline/load-pipeline.js';
import type { StageReport } from '../../pipeline/run-stages.js';
import { fileStageCache } from '../../pipeline/stage-cache.js';
import type { Metrics } from '../metrics/types.js';
import { evaluatePipeline } from './evaluate-pipeline.js';
import type { PipelineRunOptions } from './model-artefact.js';

export interface ValidationResult {
  pipeline: string;
  stages: StageReport[];
  /** Over seeds (the pipeline's `seeds:` or `seeds`): the means, with `seeds` holding each seed's figures. */
  metrics: Metrics;
}

/**
 * `smx train --validate`: the pipeline scored on its validation folds instead
 * of its test groups (split `use: validation`), so settings are compared
 * without looking at the test set. Nothing is registered; the stage cache is
 * shared with training, so the features are built once.
 */
export async function validatePipeline(
  loaded: LoadedPipeline,
  options: PipelineRunOptions & { seeds?: number[] },
): Promise<ValidationResult> {
  const { spec } = loaded;
  if (spec.split.kind !== 'groups' || !spec.split.validation)
    throw usageError(
      `${loaded.file}: --validate needs a split of kind groups with a validation block (it has kind ${spec.split.kind}${spec.split.kind === 'groups' ? ' without validation' : ''})`,
      { hint: 'split: { kind: groups, test: [...], validation: { folds: 5, seed: 0 } }' },
    );
  const validating = { ...spec, split: { ...spec.split, use: 'validation' as const } };
  const run = await evaluatePipeline(validating, {
    cache: options.cache ?? fileStageCache(options.stateDir),
    force: options.force,
    seeds: options.seeds,
    context: { cwd: options.cwd, env: options.env ?? process.env, signal: options.signal, database: options.database },
  });
  return { pipeline: loaded.file, stages: run.stages, metrics: run.metrics };
}

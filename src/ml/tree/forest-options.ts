import { usageError } from '../../errors.js';
import type { CartParams, Criterion } from './cart-builder.js';

/**
 * Options shared by the forests, named after scikit-learn's parameters
 * (camelCase) so a model trained there can be described the same way here.
 */
export interface ForestOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Maximum depth; undefined/null grows until leaves are pure or too small. */
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  minImpurityDecrease?: number;
  /**
   * Features tried per split: 'sqrt' | 'log2' | 'all' | an integer count >= 1 |
   * a fraction in (0, 1). Default 'sqrt' for classifiers, 'all' for regressors.
   */
  maxFeatures?: MaxFeatures;
  /** Draw a bootstrap sample of n rows per tree (default true). */
  bootstrap?: boolean;
  /** Seed of the forest's PRNG; the same seed and data give the same forest. */
  seed?: number;
  /**
   * 'float32' (default): features are rounded to float32 before training and
   * prediction, as scikit-learn and onnxruntime do, so an exported ONNX model
   * makes identical decisions. 'float64' keeps full precision.
   */
  precision?: 'float32' | 'float64';
}

export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number | null;

export type ClassWeight = 'balanced' | 'balanced_subsample' | Record<string, number> | null;

export interface ClassifierOptions extends ForestOptions {
  criterion?: 'gini' | 'entropy';
  classWeight?: ClassWeight;
}

export type RegressorOptions = ForestOptions;

/** scikit-learn's resolution of max_features to a count in 1..cols. */
export function resolveMaxFeatures(maxFeatures: MaxFeatures | undefined, cols: number, fallback: MaxFeatures): number {
  const mf = maxFeatures === undefined ? fallback : maxFeatures;
  if (mf === null || mf === 'all') return cols;
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  if (typeof mf === 'number' && mf > 0 && mf < 1) return Math.max(1, Math.floor(mf * cols));
  if (typeof mf === 'number' && Number.isInteger(mf) && mf >= 1) return Math.min(mf, cols);
  throw usageError(
    `maxFeatures must be 'sqrt', 'log2', 'all', an integer >= 1 or a fraction in (0,1), got ${String(mf)}`,
  );
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number): number {
  const out = v ?? dflt;
  if (!Number.isInteger(out) || out < min) throw usageError(`${name} must be an integer >= ${min}, got ${String(v)}`);
  return out;
}

export function resolveCartParams(
  o: ForestOptions,
  criterion: Criterion,
  cols: number,
  fallbackMaxFeatures: MaxFeatures,
): CartParams {
  const maxDepth = o.maxDepth ?? Infinity;
  if (!(maxDepth >= 1)) throw usageError(`maxDepth must be >= 1, got ${String(o.maxDepth)}`);
  const minImpurityDecrease = o.minImpurityDecrease ?? 0;
  if (!(minImpurityDecrease >= 0)) throw usageError('minImpurityDecrease must be >= 0');
  return {
    criterion,
    maxDepth,
    minSamplesSplit: positiveInt('minSamplesSplit', o.minSamplesSplit, 2, 2),
    minSamplesLeaf: positiveInt('minSamplesLeaf', o.minSamplesLeaf, 1, 1),
    maxFeatures: resolveMaxFeatures(o.maxFeatures, cols, fallbackMaxFeatures),
    minImpurityDecrease,
  };
}

export function resolveEstimators(o: ForestOptions): number {
  return positiveInt('nEstimators', o.nEstimators, 100, 1);
}

/**
 * Per-row class weight. 'balanced' uses n / (k · count(class)) over `counts`
 * (the whole training set; for 'balanced_subsample' the caller passes the
 * bootstrap draw counts instead). A record maps class label → weight (missing
 * labels weigh 1).
 */
export function classWeightVector(
  classWeight: ClassWeight | undefined,
  classes: readonly number[],
  counts: Float64Array,
): Float64Array {
  const k = classes.length;
  const out = new Float64Array(k).fill(1);
  if (classWeight === undefined || classWeight === null) return out;
  if (classWeight === 'balanced' || classWeight === 'balanced_subsample') {
    let n = 0;
    let present = 0;
    for (let j = 0; j < k; j++) {
      n += counts[j] as number;
      if ((counts[j] as number) > 0) present++;
    }
    // A class missing from a bootstrap draw gets no rows, so its weight is moot.
    for (let j = 0; j < k; j++) out[j] = (counts[j] as number) > 0 ? n / (present * (counts[j] as number)) : 1;
    return out;
  }
  if (typeof classWeight === 'object') {
    for (const [label, weight] of Object.entries(classWeight)) {
      const j = classes.indexOf(Number(label));
      if (j < 0) throw usageError(`classWeight names class ${label}, which is not in the training labels`);
      if (!(weight >= 0)) throw usageError(`classWeight for class ${label} must be >= 0`);
      out[j] = weight;
    }
    return out;
  }
  throw usageError(`classWeight must be 'balanced', 'balanced_subsample', a record or null`);
}

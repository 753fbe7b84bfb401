import { inputError, usageError } from '../../errors.js';
import type { FlatTree } from './flat-tree.js';
import { averageLeafValues } from './forest-predict.js';
import { trainingValues } from './grow-forest.js';
import { averagePathLength, growIsolationTree } from './isolation-tree.js';
import { type Matrix, toMatrix } from './matrix.js';
import { Random } from '../../random.js';
import { type FlatTreeJson, decodeTree, encodeTree } from './tree-codec.js';

export interface IsolationForestOptions {
  /** Trees (default 100). */
  nEstimators?: number;
  /** Rows per tree: 'auto' = min(256, n), an integer count > 1, or a fraction in (0, 1] (1 = all rows). */
  maxSamples?: 'auto' | number;
  /** 'auto' puts the offset at −0.5 (scikit-learn's default); a share in (0, 0.5] sets it at that quantile of training scores. */
  contamination?: 'auto' | number;
  seed?: number;
  /** As for the forests: float32 (default) matches scikit-learn and onnxruntime. */
  precision?: 'float32' | 'float64';
}

export interface IsolationForestJson {
  kind: 'smx.IsolationForest';
  version: 1;
  options: IsolationForestOptions;
  nFeatures: number;
  maxSamples: number;
  offset: number;
  precision: 'float32' | 'float64';
  trees: FlatTreeJson[];
}

/**
 * Isolation forest as in scikit-learn (Liu, Ting & Zhou 2008): each tree is
 * grown on maxSamples rows drawn without replacement, to height
 * ceil(log2(maxSamples)); a row's path length is depth + c(rows in its leaf);
 * score_samples = −2^(−E[h] / c(maxSamples)), so lower means more abnormal,
 * and decisionFunction = score − offset is negative for outliers.
 */
export class IsolationForest {
  readonly options: IsolationForestOptions;
  nFeatures = 0;
  maxSamples = 0;
  offset = -0.5;
  precision: 'float32' | 'float64';
  trees: FlatTree[] = [];

  constructor(options: IsolationForestOptions = {}) {
    this.options = { ...options };
    this.precision = options.precision ?? 'float32';
  }

  train(X: Matrix | ArrayLike<ArrayLike<number>>): this {
    const x = toMatrix(X);
    const n = x.rows;
    if (n === 0) throw inputError('cannot train an isolation forest on an empty matrix');
    const o = this.options;
    const nEstimators = o.nEstimators ?? 100;
    if (!Number.isInteger(nEstimators) || nEstimators < 1) throw usageError('nEstimators must be an integer >= 1');
    this.maxSamples = resolveMaxSamples(o.maxSamples ?? 'auto', n);
    const heightLimit = Math.ceil(Math.log2(Math.max(this.maxSamples, 2)));
    const values = trainingValues(x, this.precision);
    const master = new Random(o.seed ?? 0);
    const perm = new Int32Array(n);
    this.trees = [];
    for (let t = 0; t < nEstimators; t++) {
      const rng = new Random(master.nextSeed());
      // Partial Fisher–Yates: the first maxSamples entries are a uniform sample without replacement.
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let i = 0; i < this.maxSamples; i++) {
        const j = i + rng.nextInt(n - i);
        const tmp = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = tmp;
      }
      this.trees.push(growIsolationTree(values, n, x.cols, perm, this.maxSamples, heightLimit, rng));
    }
    this.nFeatures = x.cols;
    const contamination = o.contamination ?? 'auto';
    if (contamination === 'auto') this.offset = -0.5;
    else {
      if (!(contamination > 0 && contamination <= 0.5)) throw usageError('contamination must be "auto" or in (0, 0.5]');
      this.offset = percentile(this.scoreSamples(x), 100 * contamination);
    }
    return this;
  }

  /** Mean path length E[h(x)] per row over the trees. */
  meanPathLength(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    if (this.trees.length === 0) throw usageError('the isolation forest is not trained: call train(X) first');
    return averageLeafValues(this.trees, toMatrix(X), this.nFeatures, this.precision);
  }

  /** scikit-learn's score_samples: −2^(−E[h]/c(maxSamples)), in [−1, 0); lower is more abnormal. */
  scoreSamples(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    return scoresFromPathLengths(this.meanPathLength(X), this.maxSamples);
  }

  /** score − offset: negative for outliers. */
  decisionFunction(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    const s = this.scoreSamples(X);
    for (let i = 0; i < s.length; i++) s[i] = (s[i] as number) - this.offset;
    return s;
  }

  /** scikit-learn's labels: −1 for an outlier, 1 for an inlier. */
  predict(X: Matrix | ArrayLike<ArrayLike<number>>): Int8Array {
    const d = this.decisionFunction(X);
    const out = new Int8Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = (d[i] as number) < 0 ? -1 : 1;
    return out;
  }

  toJSON(): IsolationForestJson {
    if (this.trees.length === 0) throw usageError('the isolation forest is not trained: call train(X) first');
    return {
      kind: 'smx.IsolationForest',
      version: 1,
      options: this.options,
      nFeatures: this.nFeatures,
      maxSamples: this.maxSamples,
      offset: this.offset,
      precision: this.precision,
      trees: this.trees.map(encodeTree),
    };
  }

  static fromJSON(json: IsolationForestJson): IsolationForest {
    if (json?.kind !== 'smx.IsolationForest' || json.version !== 1) {
      throw inputError('not an smx IsolationForest (version 1) model');
    }
    const m = new IsolationForest({ ...json.options, precision: json.precision });
    m.nFeatures = json.nFeatures;
    m.maxSamples = json.maxSamples;
    m.offset = json.offset;
    m.trees = json.trees.map(decodeTree);
    return m;
  }
}

/** −2^(−h/c(maxSamples)) per row; shared with the ONNX session, whose model outputs h. */
export function scoresFromPathLengths(meanPath: ArrayLike<number>, maxSamples: number): Float64Array {
  const c = averagePathLength(maxSamples);
  const out = new Float64Array(meanPath.length);
  for (let i = 0; i < out.length; i++) out[i] = -Math.pow(2, -(meanPath[i] as number) / c);
  return out;
}

function resolveMaxSamples(ms: 'auto' | number, n: number): number {
  if (ms === 'auto') return Math.min(256, n);
  // 1 means all rows (scikit-learn's float 1.0): a one-row tree isolates nothing.
  if (ms > 0 && ms <= 1) return Math.max(1, Math.floor(ms * n));
  if (Number.isInteger(ms) && ms >= 1) return Math.min(ms, n);
  throw usageError(`maxSamples must be 'auto', an integer >= 1 or a fraction in (0, 1], got ${String(ms)}`);
}

/** numpy.percentile with linear interpolation. */
function percentile(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] as number) + (pos - lo) * ((s[hi] as number) - (s[lo] as number));
}

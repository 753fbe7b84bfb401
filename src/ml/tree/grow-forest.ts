import { inputError } from '../../errors.js';
import { CartBuilder, type CartData, type CartParams } from './cart-builder.js';
import type { FlatTree } from './flat-tree.js';
import { type Matrix, assertFinite } from './matrix.js';
import { Random } from '../../random.js';

/** Presort every column once: the only sort the learner performs. */
export function presortColumns(x: Float64Array, rows: number, cols: number): Int32Array {
  const sorted = new Int32Array(rows * cols);
  const idx = new Int32Array(rows);
  for (let c = 0; c < cols; c++) {
    const off = c * rows;
    for (let i = 0; i < rows; i++) idx[i] = i;
    idx.sort((a, b) => (x[off + a] as number) - (x[off + b] as number) || a - b);
    sorted.set(idx, off);
  }
  return sorted;
}

/** Feature values as the learner sees them: float32-rounded in float32 mode, like scikit-learn. */
export function trainingValues(x: Matrix, precision: 'float32' | 'float64'): Float64Array {
  assertFinite(x);
  if (precision === 'float64') return x.data;
  return Float64Array.from(Float32Array.from(x.data));
}

export function makeCartData(
  x: Matrix,
  precision: 'float32' | 'float64',
  target: { yClass: Int32Array; nClasses: number } | { yValue: Float64Array },
): CartData {
  if (x.rows === 0) throw inputError('cannot train on an empty matrix');
  const values = trainingValues(x, precision);
  const isClass = 'yClass' in target;
  const yLen = isClass ? target.yClass.length : target.yValue.length;
  if (yLen !== x.rows) throw inputError(`got ${x.rows} feature rows but ${yLen} targets`);
  return {
    rows: x.rows,
    cols: x.cols,
    x: values,
    sorted: presortColumns(values, x.rows, x.cols),
    yClass: isClass ? target.yClass : undefined,
    nClasses: isClass ? target.nClasses : 0,
    yValue: isClass ? undefined : target.yValue,
  };
}

export interface GrowOptions {
  nEstimators: number;
  bootstrap: boolean;
  seed: number;
  /**
   * Turns a tree's draw counts (how often each row was drawn by the bootstrap;
   * all 1 without it) into sample weights, e.g. times class weights. May
   * write into and return `counts`.
   */
  sampleWeights: (counts: Float64Array) => Float64Array;
}

export interface GrownForest {
  trees: FlatTree[];
  /** Mean decrease in impurity per feature, normalised to sum 1 (all 0 if no tree split). */
  featureImportances: Float64Array;
}

/**
 * Grow `nEstimators` trees. Each tree gets its own PRNG seeded from the forest's
 * stream, so tree i depends only on (seed, i) and the data.
 */
export function growForest(data: CartData, params: CartParams, o: GrowOptions): GrownForest {
  const { rows, cols } = data;
  const builder = new CartBuilder(data, params);
  const master = new Random(o.seed);
  const trees: FlatTree[] = [];
  const total = new Float64Array(cols);
  const treeImp = new Float64Array(cols);
  let splitTrees = 0;
  for (let t = 0; t < o.nEstimators; t++) {
    const rng = new Random(master.nextSeed());
    const counts = new Float64Array(rows);
    if (o.bootstrap) {
      for (let i = 0; i < rows; i++) {
        const j = rng.nextInt(rows);
        counts[j] = (counts[j] as number) + 1;
      }
    } else {
      counts.fill(1);
    }
    const weights = o.sampleWeights(counts);
    treeImp.fill(0);
    const tree = builder.build(weights, rng, treeImp);
    trees.push(tree);
    let s = 0;
    for (let c = 0; c < cols; c++) s += treeImp[c] as number;
    // scikit-learn averages the per-tree normalised importances of trees that split at all.
    if (tree.nodeCount > 1 && s > 0) {
      splitTrees++;
      for (let c = 0; c < cols; c++) total[c] = (total[c] as number) + (treeImp[c] as number) / s;
    }
  }
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += total[c] as number;
  if (splitTrees > 0 && sum > 0) for (let c = 0; c < cols; c++) total[c] = (total[c] as number) / sum;
  return { trees, featureImportances: total };
}

import type { Random } from '../../random.js';
import { type FlatTree, TreeStore } from './flat-tree.js';
import { type SplitCandidate, scanClassification, scanRegression } from './split-search.js';

/**
 * CART growth by the presorted-index method: each feature's rows are sorted
 * once per forest; per tree the rows with non-zero weight are kept in that
 * order, and every split partitions each feature's segment stably, so children
 * stay sorted and no node ever sorts. Depth-first like scikit-learn's
 * DepthFirstTreeBuilder (left child gets the next id), with exact midpoint
 * thresholds and scikit-learn's stopping rules.
 */

export type Criterion = 'gini' | 'entropy' | 'squared_error';

export interface CartParams {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features examined per node, already resolved to a count in 1..cols. */
  maxFeatures: number;
  minImpurityDecrease: number;
}

/** Training data shared by all trees of one forest. */
export interface CartData {
  rows: number;
  cols: number;
  /** Column-major feature values as the trees see them (float32-rounded in float32 mode). */
  x: Float64Array;
  /** Per feature, all row indices in increasing value order: sorted[c*rows + i]. */
  sorted: Int32Array;
  /** Class index per row (classification) … */
  yClass: Int32Array | undefined;
  nClasses: number;
  /** … or target per row (regression). */
  yValue: Float64Array | undefined;
}

const EPSILON = 2.220446049250313e-16;

export class CartBuilder {
  private readonly order: Int32Array;
  private readonly mark: Uint8Array;
  private readonly tmp: Int32Array;
  private readonly features: Int32Array;
  private readonly total: Float64Array;
  private readonly left: Float64Array;
  private readonly best: SplitCandidate = { feature: -1, pos: 0, threshold: 0, proxy: -Infinity };
  private readonly nOut: number;

  constructor(
    private readonly data: CartData,
    private readonly params: CartParams,
  ) {
    this.order = new Int32Array(data.rows * data.cols);
    this.mark = new Uint8Array(data.rows);
    this.tmp = new Int32Array(data.rows);
    this.features = new Int32Array(data.cols);
    this.nOut = data.yClass ? data.nClasses : 1;
    this.total = new Float64Array(Math.max(1, data.nClasses));
    this.left = new Float64Array(Math.max(1, data.nClasses));
  }

  /**
   * Grow one tree. `weights[row]` is the row's sample weight (bootstrap count
   * times class weight); rows with weight 0 take no part. Adds the tree's
   * weighted impurity decrease per feature to `importance`.
   */
  build(weights: Float64Array, rng: Random, importance: Float64Array): FlatTree {
    const { rows, cols, sorted } = this.data;
    const { order, mark, tmp } = this;
    let m = 0;
    for (let c = 0; c < cols; c++) {
      const off = c * rows;
      let k = 0;
      for (let i = 0; i < rows; i++) {
        const r = sorted[off + i] as number;
        if ((weights[r] as number) > 0) order[off + k++] = r;
      }
      m = k;
    }
    const store = new TreeStore(this.nOut, Math.min(2 * m, 1024));
    if (m === 0) return store.finish();

    // Explicit stack: start, end, depth, parent id, 1 when this node is a left child.
    const stack = new Int32Array(5 * (m + 2));
    let sp = 0;
    stack[0] = 0;
    stack[1] = m;
    stack[2] = 0;
    stack[3] = -1;
    stack[4] = 0;
    sp = 5;
    let rootWeight = 0;
    const p = this.params;
    while (sp > 0) {
      sp -= 5;
      const start = stack[sp] as number;
      const end = stack[sp + 1] as number;
      const depth = stack[sp + 2] as number;
      const parent = stack[sp + 3] as number;
      const isLeft = stack[sp + 4] === 1;
      const n = end - start;
      const id = store.addNode(n);
      if (parent >= 0) (isLeft ? store.left : store.right)[parent] = id;

      const [weightedN, impurity] = this.nodeStats(weights, start, end, store.value, id * this.nOut);
      if (parent < 0) rootWeight = weightedN;
      if (depth >= p.maxDepth || n < p.minSamplesSplit || n < 2 * p.minSamplesLeaf || impurity <= EPSILON) continue;

      const best = this.findSplit(weights, start, end, weightedN, rng);
      if (best.feature < 0) continue;
      const f = best.feature;
      const mid = start + best.pos + 1;
      const fo = f * rows;
      for (let i = start; i < mid; i++) mark[order[fo + i] as number] = 1;
      for (let i = mid; i < end; i++) mark[order[fo + i] as number] = 0;
      const [wl, impL] = this.nodeStats(weights, start, mid, undefined, 0, f);
      const [wr, impR] = this.nodeStats(weights, mid, end, undefined, 0, f);
      const decrease = weightedN * impurity - wl * impL - wr * impR;
      if (decrease / rootWeight + EPSILON < p.minImpurityDecrease) continue;

      store.setSplit(id, f, best.threshold);
      importance[f] = (importance[f] as number) + decrease;
      for (let c = 0; c < cols; c++) {
        if (c === f) continue;
        const off = c * rows;
        let wi = off + start;
        let ti = 0;
        for (let i = off + start; i < off + end; i++) {
          const r = order[i] as number;
          if (mark[r] === 1) order[wi++] = r;
          else tmp[ti++] = r;
        }
        for (let i = 0; i < ti; i++) order[wi + i] = tmp[i] as number;
      }
      // Right pushed first so the left child is built (and numbered) first.
      stack[sp] = mid;
      stack[sp + 1] = end;
      stack[sp + 2] = depth + 1;
      stack[sp + 3] = id;
      stack[sp + 4] = 0;
      stack[sp + 5] = start;
      stack[sp + 6] = mid;
      stack[sp + 7] = depth + 1;
      stack[sp + 8] = id;
      stack[sp + 9] = 1;
      sp += 10;
    }
    return store.finish();
  }

  /**
   * Weighted size and impurity of rows order[c*rows + start .. end) (any feature
   * c lists the same rows); optionally writes the node value into `value`.
   */
  private nodeStats(
    weights: Float64Array,
    start: number,
    end: number,
    value: Float64Array | undefined,
    valueOff: number,
    c = 0,
  ): [number, number] {
    const { order, total } = this;
    const off = c * this.data.rows;
    const yClass = this.data.yClass;
    let wn = 0;
    if (yClass) {
      const k = this.data.nClasses;
      total.fill(0);
      for (let i = off + start; i < off + end; i++) {
        const r = order[i] as number;
        const wi = weights[r] as number;
        const j = yClass[r] as number;
        total[j] = (total[j] as number) + wi;
        wn += wi;
      }
      let imp = this.params.criterion === 'entropy' ? 0 : 1;
      for (let j = 0; j < k; j++) {
        const q = (total[j] as number) / wn;
        if (value) value[valueOff + j] = q;
        if (this.params.criterion === 'entropy') imp -= q > 0 ? q * Math.log2(q) : 0;
        else imp -= q * q;
      }
      return [wn, imp];
    }
    const y = this.data.yValue as Float64Array;
    let s = 0;
    let s2 = 0;
    for (let i = off + start; i < off + end; i++) {
      const r = order[i] as number;
      const wi = weights[r] as number;
      const v = y[r] as number;
      wn += wi;
      s += wi * v;
      s2 += wi * v * v;
    }
    const mean = s / wn;
    if (value) value[valueOff] = mean;
    return [wn, Math.max(0, s2 / wn - mean * mean)];
  }

  /**
   * Draw features without replacement and scan each; like scikit-learn, keep
   * drawing past maxFeatures while every feature drawn so far was constant.
   */
  private findSplit(weights: Float64Array, start: number, end: number, weightedN: number, rng: Random): SplitCandidate {
    const { rows, cols, x } = this.data;
    const { features, best, order } = this;
    for (let c = 0; c < cols; c++) features[c] = c;
    best.feature = -1;
    best.proxy = -Infinity;
    const minLeaf = this.params.minSamplesLeaf;
    const entropy = this.params.criterion === 'entropy';
    let weightedSum = 0;
    if (!this.data.yClass) {
      const y = this.data.yValue as Float64Array;
      for (let i = start; i < end; i++) {
        const r = order[i] as number;
        weightedSum += (weights[r] as number) * (y[r] as number);
      }
    }
    let visited = 0;
    let constants = 0;
    for (let j = 0; j < cols; j++) {
      if (visited >= this.params.maxFeatures && visited > constants) break;
      const pick = j + rng.nextInt(cols - j);
      const f = features[pick] as number;
      features[pick] = features[j] as number;
      features[j] = f;
      visited++;
      const off = f * rows;
      const nonConstant = this.data.yClass
        ? scanClassification(
            x,
            off,
            order,
            off,
            start,
            end,
            this.data.yClass,
            weights,
            this.total,
            this.left,
            this.data.nClasses,
            weightedN,
            minLeaf,
            entropy,
            f,
            best,
          )
        : scanRegression(
            x,
            off,
            order,
            off,
            start,
            end,
            this.data.yValue as Float64Array,
            weights,
            weightedSum,
            weightedN,
            minLeaf,
            f,
            best,
          );
      if (!nonConstant) constants++;
    }
    return best;
  }
}

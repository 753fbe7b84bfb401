import { type FlatTree, TreeStore } from './flat-tree.js';
import type { Random } from '../../random.js';
import { FEATURE_THRESHOLD } from './split-search.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n), the average path length of an unsuccessful search in a binary search
 * tree of n points: 2·H(n−1) − 2(n−1)/n with H(i) ≈ ln(i) + γ; c(1) = 0 and
 * c(2) = 1, exactly as scikit-learn's _average_path_length.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * Grow one isolation tree on rows `idx[0..m)` of column-major `x` (values as
 * the model sees them). Each node picks a feature uniformly among those not
 * constant in the node, and a threshold uniform in [min, max) of that feature;
 * growth stops at `heightLimit`, at one row, or when every feature is constant.
 * Each node's value is its path length: depth + c(rows in node).
 * `idx` is reordered in place.
 */
export function growIsolationTree(
  x: Float64Array,
  rows: number,
  cols: number,
  idx: Int32Array,
  m: number,
  heightLimit: number,
  rng: Random,
): FlatTree {
  const store = new TreeStore(1, 2 * m);
  const features = new Int32Array(cols);
  const stack: number[] = [0, m, 0, -1, 0];
  while (stack.length > 0) {
    const isLeft = stack.pop() === 1;
    const parent = stack.pop() as number;
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const n = end - start;
    const id = store.addNode(n);
    if (parent >= 0) (isLeft ? store.left : store.right)[parent] = id;
    store.value[id] = depth + averagePathLength(n);
    if (depth >= heightLimit || n < 2) continue;

    // Draw features without replacement until one is not constant here.
    for (let c = 0; c < cols; c++) features[c] = c;
    let feature = -1;
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < cols && feature < 0; j++) {
      const pick = j + rng.nextInt(cols - j);
      const f = features[pick] as number;
      features[pick] = features[j] as number;
      features[j] = f;
      const off = f * rows;
      lo = Infinity;
      hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = x[off + (idx[i] as number)] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi > lo + FEATURE_THRESHOLD) feature = f;
    }
    if (feature < 0) continue;
    let threshold = lo + rng.nextFloat() * (hi - lo);
    if (threshold >= hi) threshold = lo;

    // Partition: rows with x <= threshold to the front.
    const off = feature * rows;
    let i = start;
    let k = end - 1;
    while (i <= k) {
      if ((x[off + (idx[i] as number)] as number) <= threshold) i++;
      else {
        const t = idx[i] as number;
        idx[i] = idx[k] as number;
        idx[k] = t;
        k--;
      }
    }
    store.setSplit(id, feature, threshold);
    stack.push(i, end, depth + 1, id, 0, start, i, depth + 1, id, 1);
  }
  return store.finish();
}

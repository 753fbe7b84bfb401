/**
 * Exhaustive threshold scans over one feature's presorted node segment, the
 * inner loop of CART. Each scan walks the rows in increasing feature value,
 * moves one row at a time from the right child to the left, and scores every
 * position where the value changes by scikit-learn's "proxy impurity
 * improvement" (a quantity ordered like the real impurity decrease but cheaper:
 * no division by the node weight, no constant terms). Statistics are updated in
 * O(1) per row whatever the number of classes, and nothing is allocated.
 */

/** Values closer than this are treated as equal, as in scikit-learn's splitter. */
export const FEATURE_THRESHOLD = 1e-7;

/** The best split seen so far in a node; mutated in place by the scans. */
export interface SplitCandidate {
  feature: number;
  /** Offset in the segment of the last row that goes left. */
  pos: number;
  threshold: number;
  proxy: number;
}

/** Midpoint threshold, falling back to the lower value when rounding lands on the upper one. */
function midpoint(lo: number, hi: number): number {
  const t = lo / 2 + hi / 2;
  return t === hi || !Number.isFinite(t) ? lo : t;
}

const xlogx = (v: number): number => (v > 0 ? v * Math.log(v) : 0);

/**
 * Gini or entropy scan. `order[base + start .. base + end)` holds the node's rows
 * sorted by feature `feature` (values at `x[xoff + row]`); `total` holds the
 * node's weighted class counts and `left` is scratch of the same length.
 * Returns false when the feature is constant in the node.
 */
export function scanClassification(
  x: Float64Array,
  xoff: number,
  order: Int32Array,
  base: number,
  start: number,
  end: number,
  y: Int32Array,
  w: Float64Array,
  total: Float64Array,
  left: Float64Array,
  nClasses: number,
  weightedN: number,
  minLeaf: number,
  entropy: boolean,
  feature: number,
  best: SplitCandidate,
): boolean {
  const first = x[xoff + (order[base + start] as number)] as number;
  const last = x[xoff + (order[base + end - 1] as number)] as number;
  if (last <= first + FEATURE_THRESHOLD) return false;

  let sqL = 0;
  let sqR = 0;
  let entL = 0;
  let entR = 0;
  for (let k = 0; k < nClasses; k++) {
    left[k] = 0;
    const t = total[k] as number;
    sqR += t * t;
    entR += xlogx(t);
  }
  let wl = 0;
  const n = end - start;
  let row = order[base + start] as number;
  let xv = first;
  for (let i = 0; i < n - 1; i++) {
    const c = y[row] as number;
    const wi = w[row] as number;
    const lc = left[c] as number;
    const rc = (total[c] as number) - lc;
    left[c] = lc + wi;
    if (entropy) {
      entL += xlogx(lc + wi) - xlogx(lc);
      entR += xlogx(rc - wi) - xlogx(rc);
    } else {
      sqL += wi * (2 * lc + wi);
      sqR -= wi * (2 * rc - wi);
    }
    wl += wi;
    const next = order[base + start + i + 1] as number;
    const xn = x[xoff + next] as number;
    const nl = i + 1;
    if (n - nl < minLeaf) break;
    if (nl >= minLeaf && xn > xv + FEATURE_THRESHOLD) {
      const wr = weightedN - wl;
      const proxy = entropy ? entL - xlogx(wl) + entR - xlogx(wr) : sqL / wl + sqR / wr;
      if (proxy > best.proxy) {
        best.proxy = proxy;
        best.feature = feature;
        best.pos = i;
        best.threshold = midpoint(xv, xn);
      }
    }
    row = next;
    xv = xn;
  }
  return true;
}

/** Squared-error scan for regression: proxy = sumL²/wL + sumR²/wR. */
export function scanRegression(
  x: Float64Array,
  xoff: number,
  order: Int32Array,
  base: number,
  start: number,
  end: number,
  y: Float64Array,
  w: Float64Array,
  weightedSum: number,
  weightedN: number,
  minLeaf: number,
  feature: number,
  best: SplitCandidate,
): boolean {
  const first = x[xoff + (order[base + start] as number)] as number;
  const last = x[xoff + (order[base + end - 1] as number)] as number;
  if (last <= first + FEATURE_THRESHOLD) return false;

  let wl = 0;
  let sl = 0;
  const n = end - start;
  let row = order[base + start] as number;
  let xv = first;
  for (let i = 0; i < n - 1; i++) {
    const wi = w[row] as number;
    wl += wi;
    sl += wi * (y[row] as number);
    const next = order[base + start + i + 1] as number;
    const xn = x[xoff + next] as number;
    const nl = i + 1;
    if (n - nl < minLeaf) break;
    if (nl >= minLeaf && xn > xv + FEATURE_THRESHOLD) {
      const wr = weightedN - wl;
      const sr = weightedSum - sl;
      const proxy = (sl * sl) / wl + (sr * sr) / wr;
      if (proxy > best.proxy) {
        best.proxy = proxy;
        best.feature = feature;
        best.pos = i;
        best.threshold = midpoint(xv, xn);
      }
    }
    row = next;
    xv = xn;
  }
  return true;
}

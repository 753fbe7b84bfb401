/**
 * Population Stability Index over reference deciles.
 *
 * Edges: numpy.quantile(reference, [0, .1, …, 1]) with linear interpolation,
 * first edge replaced by -∞ and last by +∞, then duplicates removed (so a
 * constant reference yields two bins, (-∞, c) and [c, +∞]). Shares follow
 * numpy.histogram: bins half-open [lo, hi), the last one closed. Each share
 * is floored at 1e-4 so empty bins do not give infinities.
 *
 *   PSI = Σ_bins (cur - ref) · ln(cur / ref)
 *
 * A reference with few distinct values (at most PSI_CATEGORY_LIMIT, like
 * Evidently's binning for ≤ 20 values, and each seen twice on average) is
 * binned by value instead: deciles of
 * a 0/1 flag collapse into one bin and read "stable" whatever the share of
 * ones does, and a constant 3 against a constant 4 would read 0.
 *
 * Conventional reading: < 0.1 stable, 0.1–0.25 warn, >= 0.25 drift.
 */
import { usageError } from '../../errors.js';
import { distinctCountsUpTo, lowerBound, sortedCopy, upperBound } from './sorted-sample.js';

export const PSI_WARN = 0.1;
export const PSI_DRIFT = 0.25;
/** A reference with at most this many distinct values gets one PSI bin per value (Evidently bins by value up to 20). */
export const PSI_CATEGORY_LIMIT = 20;
const SHARE_FLOOR = 1e-4;

/**
 * numpy.quantile(sorted, q) with method='linear' (the default), replicating
 * NumPy's index and lerp rounding. NumPy's 'linear' method computes its
 * virtual index as (n − 1)·q directly (its table of methods, not the general
 * n·q + α + q(1 − α − β) − 1 formula, which is equal in exact arithmetic but
 * lands a few ulps beside a data value, e.g. 20·0.9 vs 21·0.9 − 0.9 + … at
 * n = 21, and so moves an edge across a tie).
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  const clipped = Math.min(Math.max(virtual, 0), n - 1);
  const lo = Math.floor(clipped);
  const hi = Math.min(lo + 1, n - 1);
  const t = clipped - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  // numpy's _lerp: a + diff*t, or b - diff*(1-t) when t >= 0.5 (better rounding near b).
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Bin edges: -∞, inner reference deciles, +∞, deduplicated, ascending. */
export function decileEdges(sortedReference: Float64Array): Float64Array {
  const edges: number[] = [Number.NEGATIVE_INFINITY];
  for (let i = 1; i < 10; i++) {
    const e = quantileSorted(sortedReference, i / 10);
    if (e !== edges[edges.length - 1]) edges.push(e);
  }
  edges.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(edges);
}

/** numpy.histogram(sample, edges)[0] / n for an ascending sample. */
export function binShares(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const shares = new Float64Array(bins);
  const n = sorted.length;
  let previous = lowerBound(sorted, edges[0]!);
  for (let k = 0; k < bins; k++) {
    const isLast = k === bins - 1;
    const end = isLast ? upperBound(sorted, edges[k + 1]!) : lowerBound(sorted, edges[k + 1]!);
    shares[k] = (end - previous) / n;
    previous = end;
  }
  return shares;
}

export interface PsiResult {
  psi: number;
  /** 'deciles' of the reference, or 'values' (one bin per distinct value of both samples). */
  binning: 'deciles' | 'values';
  /** Decile edges; for 'values', the distinct values themselves. */
  edges: Float64Array;
  referenceShares: Float64Array;
  currentShares: Float64Array;
}

/** Σ (cur − ref)·ln(cur/ref) over bins, each share floored at 1e-4. */
export function psiOfShares(referenceShares: ArrayLike<number>, currentShares: ArrayLike<number>): number {
  let psi = 0;
  for (let k = 0; k < referenceShares.length; k++) {
    const r = Math.max(referenceShares[k]!, SHARE_FLOOR);
    const c = Math.max(currentShares[k]!, SHARE_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Whether the reference is few-valued: at most `max` distinct values, each
 * seen twice on average. The second condition keeps a tiny continuous sample
 * (8 hourly averages, all distinct) on decile bins, where one bin per value
 * would make every current value a new category. Binary searches, no full pass.
 */
function fewDistinct(reference: Float64Array, max: number): boolean {
  const distinct = distinctCountsUpTo(reference, new Float64Array(0), max);
  return distinct !== undefined && distinct.values.length * 2 <= reference.length;
}

/** PSI of two ascending, NaN-free, non-empty samples. */
export function psiSorted(reference: Float64Array, current: Float64Array): PsiResult {
  if (reference.length === 0 || current.length === 0) throw usageError('PSI needs two non-empty samples');
  if (fewDistinct(reference, PSI_CATEGORY_LIMIT)) {
    // One bin per value seen on either side: a value new in the current window is a bin the reference has 0 of.
    const distinct = distinctCountsUpTo(reference, current, Number.MAX_SAFE_INTEGER)!;
    const referenceShares = distinct.reference.map((count) => count / reference.length);
    const currentShares = distinct.current.map((count) => count / current.length);
    return {
      psi: psiOfShares(referenceShares, currentShares),
      binning: 'values',
      edges: Float64Array.from(distinct.values),
      referenceShares,
      currentShares,
    };
  }
  return psiDecilesSorted(reference, current);
}

/** PSI over the reference deciles whatever the number of distinct values (the figure of numpy's recipe). */
export function psiDecilesSorted(reference: Float64Array, current: Float64Array): PsiResult {
  if (reference.length === 0 || current.length === 0) throw usageError('PSI needs two non-empty samples');
  const edges = decileEdges(reference);
  const referenceShares = binShares(reference, edges);
  const currentShares = binShares(current, edges);
  return {
    psi: psiOfShares(referenceShares, currentShares),
    binning: 'deciles',
    edges,
    referenceShares,
    currentShares,
  };
}

export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): PsiResult {
  return psiSorted(sortedCopy(reference), sortedCopy(current));
}

export type PsiLevel = 'stable' | 'warn' | 'drift';

export function psiLevel(psi: number): PsiLevel {
  if (psi >= PSI_DRIFT) return 'drift';
  if (psi >= PSI_WARN) return 'warn';
  return 'stable';
}

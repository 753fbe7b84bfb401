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
 * Conventional reading: < 0.1 stable, 0.1–0.25 warn, >= 0.25 drift.
 */
import { usageError } from '../../errors.js';
import { lowerBound, sortedCopy, upperBound } from './sorted-sample.js';

export const PSI_WARN = 0.1;
export const PSI_DRIFT = 0.25;
const SHARE_FLOOR = 1e-4;

/** numpy.quantile(sorted, q) with method='linear', replicating numpy 1.24's index and lerp rounding. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  // numpy: virtual index = n*q + (alpha + q*(1 - alpha - beta)) - 1 with alpha = beta = 1.
  const virtual = n * q + (1 + q * (1 - 1 - 1)) - 1;
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
  edges: Float64Array;
  referenceShares: Float64Array;
  currentShares: Float64Array;
}

/** PSI of two ascending, NaN-free, non-empty samples. */
export function psiSorted(reference: Float64Array, current: Float64Array): PsiResult {
  if (reference.length === 0 || current.length === 0) throw usageError('PSI needs two non-empty samples');
  const edges = decileEdges(reference);
  const referenceShares = binShares(reference, edges);
  const currentShares = binShares(current, edges);
  let psi = 0;
  for (let k = 0; k < referenceShares.length; k++) {
    const r = Math.max(referenceShares[k]!, SHARE_FLOOR);
    const c = Math.max(currentShares[k]!, SHARE_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return { psi, edges, referenceShares, currentShares };
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

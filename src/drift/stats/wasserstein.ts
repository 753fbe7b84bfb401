/**
 * First Wasserstein (earth mover's) distance between two empirical
 * distributions, as scipy.stats.wasserstein_distance(a, b):
 *   W1 = ∫ |F_a(x) - F_b(x)| dx = Σ over consecutive pooled values of |F_a - F_b| · gap,
 * computed by one merge over the two sorted samples (O(n) after sorting).
 *
 * The normalised form divides by numpy.std(a) (population std of the
 * reference), so a threshold like 0.1 means "a tenth of a reference standard
 * deviation"; it is null when the reference is constant.
 */
import { usageError } from '../../errors.js';
import { meanAndStd, sortedCopy } from './sorted-sample.js';

/** W1 over two ascending, NaN-free, non-empty samples. */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw usageError('wasserstein_distance needs two non-empty samples');
  let i = 0;
  let j = 0;
  let total = 0;
  // Walk the pooled values in order; between value x and the next one y both ECDFs are flat.
  let x = a[0]! <= b[0]! ? a[0]! : b[0]!;
  while (i < na || j < nb) {
    while (i < na && a[i]! <= x) i++;
    while (j < nb && b[j]! <= x) j++;
    if (i >= na && j >= nb) break;
    const y = j >= nb || (i < na && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    total += Math.abs(i / na - j / nb) * (y - x);
    x = y;
  }
  return total;
}

/** Population standard deviation of an ascending sample; exactly 0 when it is constant. */
export function sortedPopulationStd(sorted: Float64Array): number {
  if (sorted.length === 0) return Number.NaN;
  if (sorted[0] === sorted[sorted.length - 1]) return 0;
  return meanAndStd(sorted).std;
}

export interface WassersteinResult {
  distance: number;
  /** distance / numpy.std(reference); null when the reference is constant. */
  normed: number | null;
}

export function wassersteinFromSorted(reference: Float64Array, current: Float64Array): WassersteinResult {
  const distance = wassersteinSorted(reference, current);
  const std = sortedPopulationStd(reference);
  return { distance, normed: std > 0 ? distance / std : null };
}

/** scipy.stats.wasserstein_distance(a, b) and its reference-std-normalised form, on unsorted samples. */
export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): WassersteinResult {
  return wassersteinFromSorted(sortedCopy(reference), sortedCopy(current));
}

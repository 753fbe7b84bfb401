/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, matching
 * scipy.stats.ks_2samp(a, b, alternative='two-sided', method=...) in SciPy 1.10:
 *
 * - statistic D = max |F_a(x) - F_b(x)| over the pooled sample (ECDFs right-continuous);
 * - 'exact': lattice-path tail probability (ks-exact.ts); D is snapped to h/lcm(n1, n2);
 * - 'asymp': kstwo.sf(D, round(n1*n2/(n1+n2))) — the finite-n Kolmogorov distribution
 *   at the effective sample size, not the limiting kstwobign;
 * - 'auto': exact when max(n1, n2) <= 10000, else asymp; exact falls back to asymp
 *   when its value is not a probability.
 *
 * @example
 *   const { statistic, pvalue } = ksTwoSample(new Float64Array([1, 2, 3]), new Float64Array([2, 4, 6]));
 */
import { usageError } from '../../errors.js';
import { exactTwoSampleKs, gcd } from './ks-exact.js';
import { kolmogorovSf } from './kstwo.js';
import { sortedCopy } from './sorted-sample.js';
import { roundHalfEven } from './special-functions.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pvalue: number;
  /** The method actually used ('auto' resolved, exact fallen back to asymp). */
  method: 'exact' | 'asymp';
  /** Where the ECDF gap is largest, and whether F_a - F_b is positive there. */
  location: number;
  sign: 1 | -1;
}

const MAX_AUTO_N = 10000;

/** The KS statistic over two ascending arrays, by one merge pass. */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): { d: number; location: number; sign: 1 | -1 } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let maxAt = Number.NaN;
  let minAt = Number.NaN;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) {
      maxDiff = diff;
      maxAt = x;
    }
    if (diff < minDiff) {
      minDiff = diff;
      minAt = x;
    }
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  if (minS > maxDiff) return { d: minS, location: minAt, sign: -1 };
  return { d: maxDiff, location: maxAt, sign: 1 };
}

/** KS test on already sorted, NaN-free samples (both non-empty). */
export function ksTwoSampleSorted(a: Float64Array, b: Float64Array, method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw usageError('ks_2samp needs two non-empty samples');
  const { d, location, sign } = ksStatisticSorted(a, b);
  let mode: KsMethod = method === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  if (mode === 'exact') {
    // SciPy gives up on exact when lcm(n1, n2) would not fit an int32.
    const g = gcd(n1, n2);
    if (n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  }
  let statistic = d;
  if (mode === 'exact') {
    const exact = exactTwoSampleKs(n1, n2, d);
    statistic = exact.d;
    if (exact.ok) return { statistic, pvalue: clip(exact.p), method: 'exact', location, sign };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const pvalue = clip(kolmogorovSf(roundHalfEven(en), statistic));
  return { statistic, pvalue, method: 'asymp', location, sign };
}

export interface KsOptions {
  method?: KsMethod;
}

/** ks_2samp(a, b) on unsorted samples; NaN values must already be removed. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>, options: KsOptions = {}): KsResult {
  return ksTwoSampleSorted(sortedCopy(a), sortedCopy(b), options.method ?? 'auto');
}

const clip = (p: number): number => Math.min(1, Math.max(0, p));

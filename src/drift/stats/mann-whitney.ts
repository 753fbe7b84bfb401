/**
 * Two-sided Mann–Whitney U test, as scipy.stats.mannwhitneyu(x, y,
 * use_continuity=True, alternative='two-sided', method='auto') in SciPy 1.10:
 *
 * - U1 = R1 - n1(n1+1)/2 from mid-ranks of the pooled sample; U = max(U1, n1·n2 - U1);
 * - 'auto' is exact when either sample has at most 8 values and there are no ties,
 *   else the normal approximation with tie correction and continuity correction:
 *     z = (U - n1·n2/2 - 0.5) / sqrt(n1·n2/12 · ((n+1) - Σ(t³-t)/(n(n-1))));
 * - p = 2·P(U' >= U), clipped to 1.
 */
import { usageError } from '../../errors.js';
import { forEachTieGroup } from './sorted-sample.js';
import { normalSf } from './special-functions.js';

export interface MannWhitneyResult {
  /** U1, the statistic for the first (reference) sample, as SciPy reports it. */
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymptotic';
}

interface RankSums {
  r1: number;
  tieTerm: number;
  hasTies: boolean;
}

/** Mid-rank sum of `a` and Σ(t³ - t) over tie groups, by merging two ascending samples. */
function rankSums(a: Float64Array, b: Float64Array): RankSums {
  let position = 0;
  let r1 = 0;
  let tieTerm = 0;
  forEachTieGroup(a, b, (_x, inA, inB) => {
    const t = inA + inB;
    r1 += inA * (position + (t + 1) / 2);
    tieTerm += t * t * t - t;
    position += t;
  });
  return { r1, tieTerm, hasTies: tieTerm > 0 };
}

/**
 * P(U <= k) under H0 for sample sizes m, n (no ties): the counts are the
 * coefficients of the Gaussian binomial Π_{i=1..m} (1 - q^(n+i)) / (1 - q^i),
 * kept only up to degree k.
 */
export function mannWhitneyExactCdf(k: number, m: number, n: number): number {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  if (k < 0) return 0;
  if (k >= m * n) return 1;
  const counts = new Float64Array(k + 1);
  counts[0] = 1;
  for (let i = 1; i <= small; i++) {
    const up = large + i;
    for (let d = k; d >= up; d--) counts[d]! -= counts[d - up]!;
    for (let d = i; d <= k; d++) counts[d]! += counts[d - i]!;
  }
  let total = 1;
  for (let i = 1; i <= small; i++) total = (total * (large + i)) / i;
  let cumulative = 0;
  for (let d = 0; d <= k; d++) cumulative += counts[d]! / total;
  return cumulative;
}

/** Mann–Whitney U on two ascending, NaN-free, non-empty samples. */
export function mannWhitneySorted(a: Float64Array, b: Float64Array): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw usageError('Mann-Whitney U needs two non-empty samples');
  const { r1, tieTerm, hasTies } = rankSums(a, b);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const exact = !(n1 > 8 && n2 > 8) && !hasTies;
  let p: number;
  if (exact) {
    p = 2 * mannWhitneyExactCdf(n1 * n2 - Math.trunc(u), n1, n2);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u - (n1 * n2) / 2 - 0.5) / s;
    p = 2 * normalSf(z);
  }
  return { statistic: u1, pvalue: Math.min(1, Math.max(0, p)), method: exact ? 'exact' : 'asymptotic' };
}

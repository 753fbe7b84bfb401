/**
 * Tests for categorical columns over the union of categories seen on either
 * side (a category new in the current window, or gone from it, counts as 0).
 *
 * - Pearson chi-square on the 2×k contingency table, as
 *   scipy.stats.chi2_contingency(table, correction=False): expected counts from
 *   the margins, statistic Σ (O-E)²/E, dof = k - 1, p = chi2.sf(statistic, dof).
 * - Jensen–Shannon distance (base 2, in [0, 1]) of the share vectors, as
 *   scipy.spatial.distance.jensenshannon(p, q, base=2).
 */
import { usageError } from '../../errors.js';
import { chiSquareSf } from './special-functions.js';

export interface CategoryCounts {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

/** Count both samples over the sorted union of their categories. */
export function countCategories(reference: readonly string[], current: readonly string[]): CategoryCounts {
  const refCounts = new Map<string, number>();
  const curCounts = new Map<string, number>();
  for (const v of reference) refCounts.set(v, (refCounts.get(v) ?? 0) + 1);
  for (const v of current) curCounts.set(v, (curCounts.get(v) ?? 0) + 1);
  const categories = [...new Set([...refCounts.keys(), ...curCounts.keys()])].sort();
  return {
    categories,
    reference: Float64Array.from(categories, (c) => refCounts.get(c) ?? 0),
    current: Float64Array.from(categories, (c) => curCounts.get(c) ?? 0),
  };
}

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  dof: number;
}

/** chi2_contingency on the 2×k table [reference; current], no continuity correction. */
export function chiSquareTwoByK(reference: Float64Array, current: Float64Array): ChiSquareResult {
  const k = reference.length;
  if (current.length !== k) throw usageError('chi-square: count vectors differ in length');
  let refTotal = 0;
  let curTotal = 0;
  for (let i = 0; i < k; i++) {
    refTotal += reference[i]!;
    curTotal += current[i]!;
  }
  if (refTotal === 0 || curTotal === 0) throw usageError('chi-square: a side has no observations');
  const total = refTotal + curTotal;
  let statistic = 0;
  let dof = 0;
  for (let i = 0; i < k; i++) {
    const column = reference[i]! + current[i]!;
    if (column === 0) continue; // a category seen nowhere carries no information (SciPy would reject it)
    dof++;
    const expRef = (refTotal * column) / total;
    const expCur = (curTotal * column) / total;
    statistic += (reference[i]! - expRef) ** 2 / expRef + (current[i]! - expCur) ** 2 / expCur;
  }
  dof -= 1;
  // SciPy: a table with one category has dof 0, statistic 0 and p-value 1.
  if (dof <= 0) return { statistic: 0, pvalue: 1, dof: 0 };
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

function relativeEntropyTerm(p: number, m: number): number {
  return p > 0 ? p * Math.log(p / m) : 0;
}

/** Jensen–Shannon distance between two non-negative weight vectors (each normalised first). */
export function jensenShannonDistance(p: Float64Array, q: Float64Array, base = 2): number {
  if (p.length !== q.length) throw usageError('Jensen-Shannon: vectors differ in length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (sp === 0 || sq === 0) throw usageError('Jensen-Shannon: a side has no mass');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    left += relativeEntropyTerm(pi, m);
    right += relativeEntropyTerm(qi, m);
  }
  const js = (left + right) / 2 / Math.log(base);
  return Math.sqrt(Math.max(0, js));
}

export interface CategoricalDriftStats {
  counts: CategoryCounts;
  chiSquare: ChiSquareResult;
  jensenShannon: number;
}

export function compareCategories(reference: readonly string[], current: readonly string[]): CategoricalDriftStats {
  const counts = countCategories(reference, current);
  return {
    counts,
    chiSquare: chiSquareTwoByK(counts.reference, counts.current),
    jensenShannon: jensenShannonDistance(counts.reference, counts.current),
  };
}

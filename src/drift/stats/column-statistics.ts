/**
 * The full statistics set for one column pair, computed once and shown in
 * every report whatever test decides drift: numeric columns get KS, PSI and
 * Wasserstein (raw and normalised) plus a shared-bin display histogram;
 * categorical ones get chi-square, Jensen–Shannon and PSI over categories.
 */
import { andersonDarlingTwoSampleSorted } from './anderson-ksamp.js';
import { chiSquareTwoByK, countCategories, jensenShannonDistance } from './categorical.js';
import { ksTwoSampleSorted } from './ks.js';
import { mannWhitneySorted } from './mann-whitney.js';
import { psiLevel, psiSorted, quantileSorted } from './psi.js';
import { type DistinctCounts, lowerBound, meanAndStd } from './sorted-sample.js';
import type { CategoricalStatistics, NumericStatistics } from '../types.js';
import { sortedPopulationStd, wassersteinSorted } from './wasserstein.js';

function summary(sorted: Float64Array): NumericStatistics['reference'] {
  const { mean } = meanAndStd(sorted);
  return { mean, std: sortedPopulationStd(sorted), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * Shares of both samples over `bins` equal-width bins spanning the pooled
 * 0.5%–99.5% range, outliers folded into the end bins so one extreme value
 * does not squash the picture.
 */
export function displayHistogram(a: Float64Array, b: Float64Array, bins: number): NumericStatistics['histogram'] {
  let lo = Math.min(quantileSorted(a, 0.005), quantileSorted(b, 0.005));
  let hi = Math.max(quantileSorted(a, 0.995), quantileSorted(b, 0.995));
  if (!(hi > lo)) {
    lo = Math.min(a[0]!, b[0]!);
    hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
  }
  const count = hi > lo ? bins : 1;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = Array.from({ length: count + 1 }, (_, k) => (k === count ? hi : lo + ((hi - lo) * k) / count));
  const shares = (s: Float64Array): number[] => {
    const out: number[] = [];
    let previous = 0;
    for (let k = 1; k <= count; k++) {
      const end = k === count ? s.length : lowerBound(s, edges[k]!);
      out.push((end - previous) / s.length);
      previous = end;
    }
    return out;
  };
  return { edges, reference: shares(a), current: shares(b) };
}

export interface NumericExtras {
  mannWhitney?: boolean;
  anderson?: boolean;
  histogramBins: number;
}

/** All numeric statistics for two ascending, finite, non-empty samples. */
export function numericStatistics(
  reference: Float64Array,
  current: Float64Array,
  extras: NumericExtras,
): NumericStatistics {
  const ks = ksTwoSampleSorted(reference, current, 'auto');
  const psi = psiSorted(reference, current).psi;
  const wasserstein = wassersteinSorted(reference, current);
  const std = sortedPopulationStd(reference);
  const result: NumericStatistics = {
    ks: { statistic: ks.statistic, pvalue: ks.pvalue, method: ks.method },
    psi,
    psiLevel: psiLevel(psi),
    wasserstein,
    wassersteinNormed: std > 0 ? wasserstein / std : null,
    reference: summary(reference),
    current: summary(current),
    histogram: displayHistogram(reference, current, extras.histogramBins),
  };
  if (extras.mannWhitney) {
    const mw = mannWhitneySorted(reference, current);
    result.mannWhitney = { statistic: mw.statistic, pvalue: mw.pvalue, method: mw.method };
  }
  if (extras.anderson) result.andersonDarling = andersonDarlingTwoSampleSorted(reference, current);
  return result;
}

/** Categorical statistics over the union of categories (missing values already removed). */
export function categoricalStatistics(reference: readonly string[], current: readonly string[]): CategoricalStatistics {
  return statisticsFromCounts(countCategories(reference, current));
}

/** The categorical statistics of a numeric column with few distinct values, each value a category. */
export function distinctValueStatistics(distinct: DistinctCounts): CategoricalStatistics {
  return statisticsFromCounts({
    categories: distinct.values.map(String),
    reference: distinct.reference,
    current: distinct.current,
  });
}

function statisticsFromCounts(counts: {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}): CategoricalStatistics {
  const chiSquare = chiSquareTwoByK(counts.reference, counts.current);
  const refTotal = counts.reference.reduce((s, v) => s + v, 0);
  const curTotal = counts.current.reduce((s, v) => s + v, 0);
  let psi = 0;
  for (let i = 0; i < counts.categories.length; i++) {
    const r = Math.max(counts.reference[i]! / refTotal, 1e-4);
    const c = Math.max(counts.current[i]! / curTotal, 1e-4);
    psi += (c - r) * Math.log(c / r);
  }
  return {
    categories: counts.categories,
    referenceCounts: Array.from(counts.reference),
    currentCounts: Array.from(counts.current),
    chiSquare,
    jensenShannon: jensenShannonDistance(counts.reference, counts.current),
    psi,
  };
}

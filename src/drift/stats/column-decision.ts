/**
 * Turn one column's statistics into a verdict: pick the decisive number for
 * the chosen test, its threshold (column override > test override > default)
 * and compare — p-values drift when below the threshold, distances when at
 * or above it.
 */
import type { TestChoice } from './method-selection.js';
import {
  type CategoricalStatistics,
  type ColumnDriftResult,
  type CompareOptions,
  DEFAULT_THRESHOLDS,
  type NumericStatistics,
  PVALUE_TESTS,
} from '../types.js';

export interface DecisionInput {
  column: string;
  kind: 'numeric' | 'categorical';
  referenceCount: number;
  currentCount: number;
  referenceMissing: number;
  currentMissing: number;
  choice: TestChoice;
  options: CompareOptions;
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
  /** Set (to the minimum) when a side has too few values to test. */
  insufficient?: number;
}

interface Score {
  statistic: number | null;
  pValue: number | null;
  score: number | null;
  note?: string;
  /** Decides drift when the score alone cannot (constant reference). */
  override?: boolean;
}

function scoreFor(input: DecisionInput): Score {
  const { numeric: n, categorical: c } = input;
  switch (input.choice.test) {
    case 'ks':
      return { statistic: n!.ks.statistic, pValue: n!.ks.pvalue, score: n!.ks.pvalue };
    case 'mannwhitney':
      return { statistic: n!.mannWhitney!.statistic, pValue: n!.mannWhitney!.pvalue, score: n!.mannWhitney!.pvalue };
    case 'anderson':
      return { statistic: n!.andersonDarling!, pValue: null, score: n!.andersonDarling! };
    case 'wasserstein':
      if (n!.wassersteinNormed === null) {
        // σ_ref = 0: no scale to normalise by, so any movement away from the constant is drift.
        return {
          statistic: n!.wasserstein,
          pValue: null,
          score: n!.wasserstein,
          note: 'reference is constant; drifted when the raw distance is above 0',
          override: n!.wasserstein > 0,
        };
      }
      return { statistic: n!.wasserstein, pValue: null, score: n!.wassersteinNormed };
    case 'psi': {
      const psi = n ? n.psi : c!.psi;
      return { statistic: psi, pValue: null, score: psi };
    }
    case 'chisquare':
      return { statistic: c!.chiSquare.statistic, pValue: c!.chiSquare.pvalue, score: c!.chiSquare.pvalue };
    case 'jensenshannon':
      return { statistic: c!.jensenShannon, pValue: null, score: c!.jensenShannon };
  }
}

export function decideColumn(input: DecisionInput): ColumnDriftResult {
  const { test, chosenBy } = input.choice;
  const isPValue = PVALUE_TESTS.includes(test);
  const threshold =
    input.options.columnThresholds?.[input.column] ?? input.options.thresholds?.[test] ?? DEFAULT_THRESHOLDS[test];
  const common = {
    column: input.column,
    kind: input.kind,
    test,
    chosenBy,
    threshold,
    scoreKind: isPValue ? ('p-value' as const) : ('distance' as const),
    adjustedPValue: null,
    referenceCount: input.referenceCount,
    currentCount: input.currentCount,
    referenceMissing: input.referenceMissing,
    currentMissing: input.currentMissing,
  };
  if (input.insufficient !== undefined) {
    return {
      ...common,
      status: 'insufficient-data',
      note: `needs at least ${input.insufficient} valid values per side (reference ${input.referenceCount}, current ${input.currentCount})`,
      statistic: null,
      pValue: null,
      score: null,
      drifted: false,
    };
  }
  const s = scoreFor(input);
  let drifted: boolean;
  if (s.override !== undefined) drifted = s.override;
  else if (s.score === null || Number.isNaN(s.score)) drifted = false;
  else drifted = isPValue ? s.score < threshold : s.score >= threshold;
  const result: ColumnDriftResult = {
    ...common,
    status: 'tested',
    statistic: s.statistic,
    pValue: s.pValue,
    score: s.score,
    drifted,
  };
  if (s.note !== undefined) result.note = s.note;
  if (input.numeric) result.numeric = input.numeric;
  if (input.categorical) result.categorical = input.categorical;
  return result;
}

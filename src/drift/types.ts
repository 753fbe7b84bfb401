/**
 * Types of the drift engine.
 *
 * Glossary
 * - reference / current: the two windows compared (training-time data vs. recent data).
 * - test: the statistic deciding drift for one column (ks, psi, wasserstein, ...).
 * - score: the number compared to the threshold — a p-value (drift when below)
 *   or a distance (drift when at or above).
 * - dataset drift: at least `driftShare` of the tested columns drifted.
 */

export type DriftColumn =
  | { kind: 'numeric'; values: Float64Array }
  /** null or '' is a missing value. */
  | { kind: 'categorical'; values: readonly (string | null)[] };

export interface DriftDataset {
  columns: ReadonlyMap<string, DriftColumn> | Readonly<Record<string, DriftColumn>>;
  /** Rows the window held before sampling, when the values are a sample. */
  totalRows?: number;
  /** True when the values are a (reservoir) sample of the window. */
  sampled?: boolean;
}

export type DriftTest = 'ks' | 'psi' | 'wasserstein' | 'jensenshannon' | 'chisquare' | 'mannwhitney' | 'anderson';
export type DriftMethod = DriftTest | 'auto';

export const NUMERIC_TESTS: readonly DriftTest[] = ['ks', 'psi', 'wasserstein', 'mannwhitney', 'anderson'];
export const CATEGORICAL_TESTS: readonly DriftTest[] = ['chisquare', 'jensenshannon', 'psi'];
export const PVALUE_TESTS: readonly DriftTest[] = ['ks', 'chisquare', 'mannwhitney'];

/** Default thresholds (Evidently's defaults where it has one). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  mannwhitney: 0.05,
  wasserstein: 0.1,
  /**
   * Evidently's 0.1 is on SciPy's default natural-log distance; smx reports the
   * base-2 distance, which is that one / √ln 2, so the same verdict is 0.1 / √ln 2 ≈ 0.1201.
   */
  jensenshannon: 0.1 / Math.sqrt(Math.LN2),
  psi: 0.25,
  /** Critical value of the standardised statistic at the 5% level for two samples (Scholz & Stephens). */
  anderson: 2.718,
};

export interface CompareOptions {
  /** Test for every column that supports it; 'auto' (default) picks per column like Evidently. */
  method?: DriftMethod;
  /** Per-column test; a test that does not fit the column's kind is a usage error. */
  columnMethods?: Readonly<Record<string, DriftMethod>>;
  /** Per-test threshold overrides. */
  thresholds?: Partial<Record<DriftTest, number>>;
  /** Per-column threshold overrides (win over per-test ones). */
  columnThresholds?: Readonly<Record<string, number>>;
  /** Adjust the p-values of the p-value tests across columns (default 'none'). */
  pValueCorrection?: 'none' | 'benjamini-hochberg';
  /** Dataset drift when the share of drifted columns is >= this (default 0.5). */
  driftShare?: number;
  /** Fewest valid values per side for a column to be tested (default 5). */
  minSamples?: number;
  /** Compare only these columns (default: all columns present on both sides). */
  columns?: readonly string[];
  /** Bins of the display histogram for numeric columns (default 30). */
  histogramBins?: number;
}

export interface NumericStatistics {
  ks: { statistic: number; pvalue: number; method: 'exact' | 'asymp' };
  psi: number;
  psiLevel: 'stable' | 'warn' | 'drift';
  wasserstein: number;
  /** Wasserstein / population std of the reference; null when the reference is constant. */
  wassersteinNormed: number | null;
  mannWhitney?: { statistic: number; pvalue: number; method: 'exact' | 'asymptotic' };
  andersonDarling?: number;
  reference: { mean: number; std: number; min: number; max: number };
  current: { mean: number; std: number; min: number; max: number };
  /** Shared-bin histogram for display: edges (bins + 1) and shares per side. */
  histogram: { edges: number[]; reference: number[]; current: number[] };
}

export interface CategoricalStatistics {
  categories: string[];
  referenceCounts: number[];
  currentCounts: number[];
  chiSquare: { statistic: number; pvalue: number; dof: number };
  jensenShannon: number;
  psi: number;
}

export type ColumnStatus = 'tested' | 'insufficient-data' | 'kind-mismatch';

export interface ColumnDriftResult {
  column: string;
  kind: 'numeric' | 'categorical';
  status: ColumnStatus;
  /** Why the status is not 'tested', in words. */
  note?: string;
  test: DriftTest;
  /** How the test was chosen: 'explicit' or the auto rule that fired. */
  chosenBy: string;
  /** The test's statistic (KS D, chi-square, PSI, distance, ...). */
  statistic: number | null;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p-value when correction is on. */
  adjustedPValue: number | null;
  /** The number compared to the threshold. */
  score: number | null;
  scoreKind: 'p-value' | 'distance';
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /** NaN / ±Infinity / empty values excluded per side. */
  referenceMissing: number;
  currentMissing: number;
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
}

export interface DriftReport {
  datasetDrift: boolean;
  /** 'insufficient-data' when no column could be tested. */
  status: 'tested' | 'insufficient-data';
  driftedColumns: number;
  testedColumns: number;
  shareDrifted: number;
  driftShareThreshold: number;
  pValueCorrection: 'none' | 'benjamini-hochberg';
  columns: ColumnDriftResult[];
  /** Columns present on one side only (not compared). */
  onlyInReference: string[];
  onlyInCurrent: string[];
  reference: { rows: number; totalRows: number; sampled: boolean };
  current: { rows: number; totalRows: number; sampled: boolean };
}

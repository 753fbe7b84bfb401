/**
 * Types of the drift engine.
 *
 * Glossary
 * - reference / current: the two windows compared (training-time data vs. recent data).
 * - test: the statistic deciding drift for one column (ks, psi, wasserstein, ...).
 * - score: the number compared to the threshold — a p-value (drift when below)
 *   or a distance (drift when at or above).
 * - dataset drift: at least `driftShare` of the tested columns drifted.
 * - quality signal: missing rate, flat line, out-of-range share, gaps — beside
 *   the distribution tests, with an alarm of their own (quality/).
 * - multivariate: the windows compared as rows (multivariate/): a domain
 *   classifier's AUROC and a PCA reconstruction error.
 */
import type { QualitySignal } from './quality/quality-signals.js';
import type { CalibratedFloor, PooledEffect } from './calibration/effect-pool.js';

/** Cells of a numeric column that held no decimal number (±inf, a stray word): counted, the first one named. */
export interface InvalidCells {
  count: number;
  first: { line: number; text: string };
}

export type DriftColumn =
  /** NaN is a missing or invalid value; `invalid` says how many of them were not missing but unreadable. */
  | { kind: 'numeric'; values: Float64Array; invalid?: InvalidCells }
  /** null or '' is a missing value. */
  | { kind: 'categorical'; values: readonly (string | null)[] };

export interface DriftDataset {
  columns: ReadonlyMap<string, DriftColumn> | Readonly<Record<string, DriftColumn>>;
  /** Rows the window held before sampling, when the values are a sample. */
  totalRows?: number;
  /** True when the values are a (reservoir) sample of the window. */
  sampled?: boolean;
}

/**
 * `chisquare` is Evidently's goodness of fit (expected = the reference's shares
 * × the current count); `chisquare-contingency` is the 2×k contingency test
 * (SciPy's chi2_contingency) that smx used before; `z` is Evidently's
 * two-proportion Z-test (first category against the rest) for binary columns.
 */
export type DriftTest =
  | 'ks'
  | 'psi'
  | 'wasserstein'
  | 'jensenshannon'
  | 'chisquare'
  | 'chisquare-contingency'
  | 'z'
  | 'mannwhitney'
  | 'anderson';
export type DriftMethod = DriftTest | 'auto';

export const NUMERIC_TESTS: readonly DriftTest[] = ['ks', 'psi', 'wasserstein', 'mannwhitney', 'anderson'];
export const CATEGORICAL_TESTS: readonly DriftTest[] = [
  'chisquare',
  'chisquare-contingency',
  'z',
  'jensenshannon',
  'psi',
];
export const PVALUE_TESTS: readonly DriftTest[] = ['ks', 'chisquare', 'chisquare-contingency', 'z', 'mannwhitney'];
export const ALL_TESTS: readonly DriftTest[] = [
  'ks',
  'psi',
  'wasserstein',
  'jensenshannon',
  'chisquare',
  'chisquare-contingency',
  'z',
  'mannwhitney',
  'anderson',
];

/** Default thresholds (Evidently's defaults where it has one). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  'chisquare-contingency': 0.05,
  z: 0.05,
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

/**
 * Effect-size floors of the p-value tests: a column whose p-value passes is
 * flagged only when its effect also reaches a floor (docs/drift.md, "Effect
 * size"). Numeric: the normalised Wasserstein distance (W / max(σ_ref, 0.001))
 * or, when `spread` is set, |ln(σ_cur / σ_ref)|; categorical: the
 * Jensen–Shannon distance (base 2).
 */
export interface EffectFloors {
  wasserstein: number;
  /** |ln(σ_cur/σ_ref)|: a change of spread alone (off unless set). */
  spread?: number;
  jensenshannon: number;
}

/**
 * The default floors are the thresholds Evidently applies to the same
 * statistics when the reference is large (> 1000 rows): a small sample then
 * drifts only when the change is both significant and as large as one a large
 * sample would flag, so the verdict no longer depends on n alone (evidently #20, #50).
 */
export const DEFAULT_EFFECT_FLOORS: Readonly<EffectFloors> = Object.freeze({
  wasserstein: 0.1,
  jensenshannon: 0.1 / Math.sqrt(Math.LN2),
});

export interface CompareOptions {
  /** Effect-size floors of the p-value tests (default DEFAULT_EFFECT_FLOORS); false: p-value alone decides, as Evidently. */
  effectFloors?: Partial<EffectFloors> | false;
  /** Per-column floors (calibrated ones), over `effectFloors`. */
  columnEffectFloors?: Readonly<Record<string, Partial<EffectFloors>>>;
  /**
   * Columns computed but not decided, with the reason (a calibrated floor
   * still learning): status 'insufficient-data', never drifted.
   */
  undecidedColumns?: Readonly<Record<string, string>>;
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
  /** Wasserstein / max(σ_ref, 0.001): Evidently's normalisation, the score of the wasserstein test. */
  wassersteinScore: number;
  /** σ_cur / σ_ref (population std); Infinity when only the reference is constant, 1 when both are. */
  spreadRatio: number;
  /** How PSI was binned: the reference's deciles, or one bin per value (few distinct values). */
  psiBinning: 'deciles' | 'values';
  mannWhitney?: { statistic: number; pvalue: number; method: 'exact' | 'asymptotic' };
  andersonDarling?: number;
  reference: { mean: number; std: number; min: number; max: number };
  current: { mean: number; std: number; min: number; max: number };
  /**
   * Shared-bin histogram for display: edges (bins + 1) and shares per side.
   * Values outside the pooled 0.5–99.5 % range are folded into the end bins;
   * `clipped` is the share of each side that was.
   */
  histogram: {
    edges: number[];
    reference: number[];
    current: number[];
    clipped: { reference: number; current: number };
  };
}

export interface CategoricalStatistics {
  categories: string[];
  referenceCounts: number[];
  currentCounts: number[];
  /** Contingency test over the 2×k table (SciPy chi2_contingency, no correction). */
  chiSquare: { statistic: number; pvalue: number; dof: number };
  /** Goodness of fit against the reference's shares (Evidently's chisquare: scipy.stats.chisquare). */
  chiSquareGoodnessOfFit: { statistic: number; pvalue: number; dof: number };
  /** Two-proportion Z-test, first category against the rest (Evidently's z). */
  z: { statistic: number; pvalue: number };
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
  /** NaN / ±Infinity / empty values excluded per side (invalid cells included). */
  referenceMissing: number;
  currentMissing: number;
  /** Cells that were not numbers in a numeric column, with the first one named (CSV inputs). */
  referenceInvalid?: InvalidCells;
  currentInvalid?: InvalidCells;
  /**
   * The effect size beside a p-value test, and whether it reached its floor.
   * A significant column whose effect stays below every floor is not flagged
   * (`note` says so).
   */
  effect?: {
    measure: 'wasserstein' | 'jensenshannon';
    value: number;
    floor: number;
    /** |ln(σ_cur/σ_ref)| and its floor, when a spread floor is set. */
    spread?: { value: number; floor: number };
    passed: boolean;
  };
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
}

export type MultivariateMethod = 'domain-classifier' | 'pca-reconstruction';

/** One multivariate check of two windows (multivariate/multivariate-drift.ts). */
export interface MultivariateResult {
  method: MultivariateMethod;
  status: 'tested' | 'insufficient-data';
  note?: string;
  /** AUROC, or mean reconstruction error. */
  value: number | null;
  /** Alarm above `upper` (and below `lower`, for the PCA error). */
  upper: number | null;
  lower: number | null;
  /** The figures of the reference-vs-reference splits the thresholds come from. */
  calibration: number[];
  drifted: boolean;
  /** What drives it: feature importances (classifier) or shares of the squared error (PCA). */
  features: Array<{ column: string; weight: number }>;
  referenceRows: number;
  currentRows: number;
  columns: string[];
}

/** What a check with calibrated effect floors used and measured, stored with it (calibration/). */
export interface CalibrationRecord {
  /** Which checks share one pool: subject, reference, season and window length. */
  key: string;
  /** The floors this check used, per column. */
  floors: Record<string, CalibratedFloor>;
  /** Per column, its effect in this check and whether it was flagged (flagged ones stay out of the pool). */
  effects: Record<string, PooledEffect & { flagged: boolean }>;
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
  /** Data-quality signals per column, when computed (sensor windows by default). */
  quality?: QualitySignal[];
  /** True when any quality signal alarms. */
  qualityAlarm?: boolean;
  /** Multivariate checks, when asked for. */
  multivariate?: MultivariateResult[];
  /** True when any multivariate check drifted. */
  multivariateDrift?: boolean;
  /** With calibrated effect floors: the floors used and the effects measured (calibration/calibrated-check.ts). */
  calibration?: CalibrationRecord;
}

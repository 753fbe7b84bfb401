/**
 * The data that flows between pipeline stages. All plain objects over typed
 * arrays, so the stage cache can store them exactly.
 *
 * - SourceTable: named columns (numbers, or strings where a column is not
 *   numeric), one group per row (the file it came from, or a SQL column).
 * - SignalSet: whole waveforms (WAV clips, MAT recordings), each with a label.
 * - Dataset: the feature matrix (column-major, as src/ml/features and
 *   src/ml/tree use) with its target, groups and time per row.
 */
export interface Groups {
  names: string[];
  /** names[index[r]] is row r's group. */
  index: Int32Array;
}

export interface SourceTable {
  shape: 'table';
  rows: number;
  columns: Record<string, Float64Array | string[]>;
  groups: Groups;
  /** Epoch milliseconds per row when the source names a time column. */
  time: Float64Array | null;
}

export interface Signal {
  name: string;
  label: number | null;
  sampleRate: number;
  samples: Float32Array | Float64Array;
}

export interface SignalSet {
  shape: 'signals';
  signals: Signal[];
}

/** How raw input columns become feature values at serving time (stored in params.json). */
export interface InputEncoding {
  ordinal: Record<string, Record<string, number>>;
}

export interface Dataset {
  shape: 'dataset';
  featureNames: string[];
  rows: number;
  /** Column-major: row r of feature j at data[j * rows + r]. */
  data: Float64Array;
  /** Class label, anomaly flag or value per row; null when unlabelled. */
  target: Float64Array | null;
  groups: Groups;
  time: Float64Array | null;
  encoding: InputEncoding;
  /**
   * What the evaluation scores against where it differs from the training
   * target: the uncapped remaining useful life, when the target is capped
   * (src/ml/features/remaining-useful-life.ts). Absent otherwise.
   */
  truth?: Float64Array;
  /**
   * Row r's position in its group's source rows (the group's first source row
   * is 0). Absent: rows are their group's source rows in order, so position =
   * rank within the group. Stages that drop leading rows (windows) set it, so
   * protocols defined on source rows ("fit on the first 400 rows") still hold.
   */
  position?: Int32Array;
  /** Columns kept for the evaluation only (tabular `keep`), one value per row; never features. */
  columns?: Record<string, Float64Array>;
}

/** Fit and test rows of one fold; a holdout split has one fold. */
export interface Fold {
  fit: Int32Array;
  test: Int32Array;
  /** Rows scored only to set the alarm threshold: never fitted, never in the test metrics (disjoint from both). */
  calibration?: Int32Array;
  /** Labelled rows for choices tuned on labels (detector, threshold), apart from fit and test. */
  validation?: Int32Array;
  /** Per-group protocols: the group this fold's model belongs to, and the seed that drew it (per-group-novelty). */
  group?: number;
  seed?: number;
}

export interface SplitPlan {
  /**
   * 'holdout': the registered model is the one fitted on the single fold's fit rows. 'cv': out-of-fold scores, final
   * model on `finalFit`. 'per-group': one fold per group (or per group and seed), each with its own model (SKAB's
   * leaderboard protocol, MIMII's per-machine protocol). 'validation': out-of-fold scores for model choice; nothing is
   * registered, so no final model is fitted (the last fold's stands in).
   */
  mode: 'holdout' | 'cv' | 'all' | 'per-group' | 'validation';
  folds: Fold[];
  finalFit: Int32Array;
  describe: string;
  /** Groups whose scores may be looked at to choose settings (reported apart, never in the headline). */
  validationGroups?: number[];
  /** Rows of scored groups before this position are not scored (they fitted or normalised something). */
  scoreFrom?: number;
  /** The target value of normal rows where it is not 0 (MIMII's is_normal = 1). */
  normalLabel?: number;
}

export type ModelKind =
  | 'random-forest-classifier'
  | 'random-forest-regressor'
  | 'isolation-forest'
  | 'pca-monitor'
  | 'autoencoder'
  | 'mlp-forecaster'
  | 'statistical-forecaster'
  | 'stream-novelty'
  | 'group-novelty'
  | 'health-alarm';

/** A fitted model and its test-set predictions (concatenated over folds, in `rows` order). */
export interface TrainedModel {
  kind: ModelKind;
  /** The in-process model as JSON (the tree learners' and the forecaster's own formats). */
  model: unknown;
  featureNames: string[];
  encoding: InputEncoding;
  /** Hyperparameters as resolved (params.json). */
  params: Record<string, unknown>;
  fitRows: number;
  fitSeconds: number;
  test: {
    rows: Int32Array;
    /** Classifier: P(positive class); isolation forest: anomaly score (higher = more abnormal); regressor/forecaster: prediction. */
    scores: Float64Array;
    /** Classifier: predicted label at the evaluation threshold's default 0.5 (multi-class: argmax). */
    predicted: Float64Array | null;
    /** Forecaster: the baselines' one-step predictions for the same rows. */
    baselines: Record<string, Float64Array> | null;
  };
  /** Isolation forest: anomaly scores of the fit rows (for the alarm threshold). */
  fitScores: Float64Array | null;
  /**
   * Detectors: scores of the fitted rows and of the calibration rows (never fitted), row ids beside them, so the
   * evaluation can set per-group thresholds from rows the model did not see, and count every row for SKAB's pool.
   */
  anomaly?: {
    fit: { rows: Int32Array; scores: Float64Array };
    calibration: { rows: Int32Array; scores: Float64Array } | null;
    /** The model's own control limit on its score (PCA: 1 = the T² or Q limit); null when it has none. */
    limit: number | null;
    /** PCA: which sensors drive each group's highest-scoring test rows (for the report). */
    contributions?: { row: number; score: number; statistic: 't2' | 'q'; values: number[] }[];
  };
  classes: number[] | null;
}

import type { ModelSpec } from '../../../pipeline/schema.js';
import type { Dataset } from '../types.js';

/**
 * A fitted anomaly detector as the detector stage sees it. Scores are "higher =
 * more abnormal"; NaN where the model cannot score a row (a window that would
 * reach before its group's first row). A detector that looks at windows reads
 * the rows before each scored row from the same group of `ds`, never after it.
 */
export interface Detector {
  score(ds: Dataset, rows: Int32Array): Promise<Float64Array>;
  /** The model's own control limit on its score (PCA: 1); null when it has none. */
  limit: number | null;
  /** model.json of this detector. */
  toJSON(): unknown;
  /** Frees native or tensor memory (autoencoders); a no-op for the others. */
  dispose(): void;
  /** Per-feature contributions to each row's statistic (PCA: to T² or Q, whichever is further over its limit). */
  explain?(ds: Dataset, rows: Int32Array): Contribution[];
}

export interface Contribution {
  statistic: 't2' | 'q';
  /** One value per feature; they sum to the statistic. */
  values: number[];
}

export type DetectorSpec = Extract<ModelSpec, { kind: 'isolation-forest' | 'pca-monitor' | 'autoencoder' }>;

export interface FitInput {
  ds: Dataset;
  /** Rows the detector learns from. */
  fit: Int32Array;
  /** Rows it may score to set its own limits (PCA empirical limits); it never learns from them. */
  calibration: Int32Array;
  signal?: AbortSignal | undefined;
}

export type FitDetector = (spec: DetectorSpec, input: FitInput) => Promise<Detector>;

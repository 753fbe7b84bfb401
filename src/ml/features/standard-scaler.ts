import { usageError } from '../../errors.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * z-score standardisation with a fit/transform split: statistics come from the
 * training rows only and are stored, so validation, test and serving rows are
 * transformed with the training mean and std (no leakage from the future).
 *
 * std is the population std (ddof = 0, like sklearn's StandardScaler). A column
 * that is constant in training gets std = 1, so it maps to 0 instead of NaN
 * (C-MAPSS FD001 has seven such columns).
 */
export interface StandardScaler {
  featureNames: string[];
  mean: number[];
  std: number[];
}

export function fitStandardScaler(train: FeatureMatrix, only?: readonly string[]): StandardScaler {
  const featureNames = only ? [...only] : [...train.featureNames];
  const mean: number[] = [];
  const std: number[] = [];
  for (const name of featureNames) {
    const j = train.featureNames.indexOf(name);
    if (j < 0) throw usageError(`cannot standardise ${name}: not a feature of the training matrix`);
    const offset = j * train.rows;
    let s = 0;
    for (let r = 0; r < train.rows; r++) s += train.data[offset + r] as number;
    const m = train.rows > 0 ? s / train.rows : 0;
    let ss = 0;
    for (let r = 0; r < train.rows; r++) ss += ((train.data[offset + r] as number) - m) ** 2;
    const sd = train.rows > 0 ? Math.sqrt(ss / train.rows) : 0;
    mean.push(m);
    std.push(sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { featureNames, mean, std };
}

/** Returns a new matrix; columns the scaler does not name pass through unchanged. */
export function applyStandardScaler(scaler: StandardScaler, matrix: FeatureMatrix): FeatureMatrix {
  const data = Float64Array.from(matrix.data);
  scaler.featureNames.forEach((name, k) => {
    const j = matrix.featureNames.indexOf(name);
    if (j < 0) throw usageError(`matrix lacks feature ${name} that the scaler was fitted on`);
    const m = scaler.mean[k] as number;
    const sd = scaler.std[k] as number;
    const offset = j * matrix.rows;
    for (let r = 0; r < matrix.rows; r++) data[offset + r] = ((data[offset + r] as number) - m) / sd;
  });
  return { featureNames: [...matrix.featureNames], rows: matrix.rows, data };
}

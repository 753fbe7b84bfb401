/**
 * The multivariate checks with thresholds calibrated on the reference
 * itself: the reference is cut into up to five blocks of the current window's
 * size (contiguous rows, so a time series keeps its autocorrelation), each
 * block is compared with the rest of the reference exactly as the current
 * window will be, and the threshold is mean + 3·sd of those figures
 * (NannyML's StandardDeviationThreshold), never below the largest of them.
 * The PCA error alarms on both sides (mean ± 3·sd), as NannyML's; the
 * classifier's AUROC on the upper side only.
 */
import { domainClassifierDrift, type DomainClassifierOptions } from './domain-classifier.js';
import { fitReconstruction, meanReconstructionError, reconstructionContributions } from './pca-reconstruction.js';
import { type RowTable, splitRows } from './row-table.js';
import type { MultivariateMethod, MultivariateResult } from '../types.js';

export type { MultivariateMethod, MultivariateResult };
export const MULTIVARIATE_METHODS: readonly MultivariateMethod[] = ['domain-classifier', 'pca-reconstruction'];

export interface MultivariateOptions {
  methods?: readonly MultivariateMethod[];
  classifier?: Partial<DomainClassifierOptions>;
  /** Fewest rows per window (default 10). */
  minRows?: number;
  /** How many reference blocks calibrate the thresholds (default 5). */
  splits?: number;
  /** Sensor windows: the grid their readings are aligned on (default: the slowest sensor's usual interval; 60 s in a timeline). */
  alignMs?: number;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}

/** Start rows of `count` blocks of `size` spread evenly over `rows`. */
function blockStarts(rows: number, size: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor((k * (rows - size)) / Math.max(1, count - 1)));
}

export function multivariateDrift(
  reference: RowTable,
  current: RowTable,
  options: MultivariateOptions = {},
): MultivariateResult[] {
  const methods = options.methods ?? MULTIVARIATE_METHODS;
  const minRows = options.minRows ?? 10;
  const base = {
    upper: null,
    lower: null,
    calibration: [],
    drifted: false,
    features: [],
    referenceRows: reference.rows,
    currentRows: current.rows,
    columns: reference.columns,
  };
  const blockSize = Math.min(current.rows, Math.floor(reference.rows / 2));
  const blocks = blockSize > 0 ? Math.min(options.splits ?? 5, Math.floor(reference.rows / blockSize)) : 0;
  if (reference.columns.length < 2 || current.rows < minRows || blockSize < minRows || blocks < 2) {
    const note =
      reference.columns.length < 2
        ? 'needs at least two numeric columns'
        : `needs at least ${minRows} current rows and a reference of twice the current rows (reference ${reference.rows}, current ${current.rows} aligned rows)`;
    return methods.map((method) => ({ ...base, method, status: 'insufficient-data', note, value: null }));
  }
  const splits = blockStarts(reference.rows, blockSize, blocks).map((start) =>
    splitRows(reference, start, start + blockSize),
  );
  return methods.map((method): MultivariateResult => {
    if (method === 'domain-classifier') {
      const calibration = splits.map((s) => domainClassifierDrift(s.outside, s.inside, options.classifier).auroc);
      const { mean, sd } = meanAndSd(calibration);
      const upper = Math.max(mean + 3 * sd, ...calibration);
      const result = domainClassifierDrift(reference, current, options.classifier);
      return {
        ...base,
        method,
        status: 'tested',
        value: result.auroc,
        upper,
        calibration,
        drifted: result.auroc > upper,
        features: result.features.map((f) => ({ column: f.column, weight: f.importance })),
      };
    }
    const calibration = splits.map((s) => meanReconstructionError(fitReconstruction(s.outside), s.inside));
    const { mean, sd } = meanAndSd(calibration);
    const upper = Math.max(mean + 3 * sd, ...calibration);
    const lower = Math.min(mean - 3 * sd, ...calibration);
    const model = fitReconstruction(reference);
    const value = meanReconstructionError(model, current);
    return {
      ...base,
      method,
      status: 'tested',
      value,
      upper,
      lower,
      calibration,
      drifted: value > upper || value < lower,
      features: reconstructionContributions(model, current).map((f) => ({ column: f.column, weight: f.share })),
      note: `${model.components} of ${reference.columns.length} components (65 % of the reference's variance)`,
    };
  });
}

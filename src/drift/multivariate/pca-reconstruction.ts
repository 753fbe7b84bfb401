/**
 * Data-reconstruction drift (NannyML's DataReconstructionDriftCalculator):
 * standardise on the reference, keep the principal components that explain
 * 65 % of its variance, and per row measure the Euclidean distance between
 * the standardised row and its reconstruction from those components. The
 * window's figure is the mean distance over its rows. A change in how the
 * columns move together (a correlation that breaks) moves rows off the
 * reference's plane and raises the error even when every column keeps its
 * own distribution. The PCA is ml/anomaly's PcaMonitor (its Q is the squared
 * distance).
 */
import { PcaMonitor } from '../../ml/anomaly/pca-monitor.js';
import type { RowTable } from './row-table.js';

/** NannyML's default n_components: the fewest components explaining more than 65 % of the variance. */
export const PCA_VARIANCE_SHARE = 0.65;

export interface PcaReconstructionModel {
  monitor: PcaMonitor;
  components: number;
}

export function fitReconstruction(reference: RowTable): PcaReconstructionModel {
  const monitor = PcaMonitor.fit(
    { rows: reference.rows, cols: reference.columns.length, data: reference.data },
    { components: PCA_VARIANCE_SHARE, limits: 'empirical', t2Distribution: 'chi2', alpha: 0.01, rule: 'q' },
  );
  return { monitor, components: monitor.k };
}

/** Mean reconstruction error (Euclidean distance) over the rows of `table`. */
export function meanReconstructionError(model: PcaReconstructionModel, table: RowTable): number {
  if (table.rows === 0) return Number.NaN;
  const { q } = model.monitor.statistics({ rows: table.rows, cols: table.columns.length, data: table.data });
  let sum = 0;
  for (let r = 0; r < q.length; r++) sum += Math.sqrt(q[r]!);
  return sum / q.length;
}

/** Per column, its share of the window's squared reconstruction error (which columns left the plane). */
export function reconstructionContributions(
  model: PcaReconstructionModel,
  table: RowTable,
): Array<{ column: string; share: number }> {
  const p = table.columns.length;
  const totals = new Float64Array(p);
  const m = { rows: table.rows, cols: p, data: table.data };
  for (let r = 0; r < table.rows; r++) {
    const c = model.monitor.contributions(m, r).q;
    for (let j = 0; j < p; j++) totals[j] = totals[j]! + c[j]!;
  }
  const sum = totals.reduce((s, v) => s + v, 0) || 1;
  return table.columns.map((column, j) => ({ column, share: totals[j]! / sum })).sort((a, b) => b.share - a.share);
}

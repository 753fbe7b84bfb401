import type { Stage } from '../../../pipeline/stage.js';
import type { FeatureStageSpec } from '../../../pipeline/schema.js';
import { normaliseByGroup } from '../../features/group-normalise.js';
import { lagFeatures, rollingStats } from '../../features/lag.js';
import {
  concatColumns,
  firstCompleteRow,
  matrixFromColumns,
  type FeatureMatrix,
} from '../../features/feature-matrix.js';
import { trailingMean } from '../../features/trailing-mean.js';
import { trailingWindowStats, windowLabels, windowStats } from '../../features/window-stats.js';
import type { Dataset } from '../types.js';
import { rowPositions, rowsByGroup, stackParts, takeRows } from './dataset-ops.js';
import { inputError } from '../../../errors.js';

type WindowParams = Extract<FeatureStageSpec, { kind: 'window-stats' }>;
type NormaliseParams = Extract<FeatureStageSpec, { kind: 'group-normalise' }>;
type LagParams = Extract<FeatureStageSpec, { kind: 'lag' }>;

function groupMatrix(ds: Dataset, rows: Int32Array): FeatureMatrix {
  return {
    featureNames: ds.featureNames,
    rows: rows.length,
    data: takeRows(ds.data, ds.rows, ds.featureNames.length, rows),
  };
}

/**
 * Sliding-window statistics (mean, std, min, max, slope per column) within each
 * group: a window never spans two experiment files. A window's label follows
 * `label` ('last' = the label of its newest row, what an online detector is
 * scored on; 'value' = the newest row's numeric target unchanged, e.g. the
 * remaining useful life at the window's last cycle) and its time is its newest
 * row's, so window scores line up with row labels. With `minRows`, groups also
 * get rows for their first cycles over shorter trailing windows. 'value' and
 * `minRows` were added without a version bump: without them the stage returns
 * exactly what it did.
 */
export const windowStatsStage: Stage<WindowParams, readonly [Dataset], Dataset> = {
  kind: 'features.window-stats',
  version: '2', // 2: each window row carries its newest source row's position (Dataset.position)
  async run(params, [ds]) {
    const positions = rowPositions(ds);
    const parts = rowsByGroup(ds.groups).map((rows) => {
      const stats =
        params.minRows === undefined
          ? windowStats(groupMatrix(ds, rows), params.window, params.hop)
          : trailingWindowStats(groupMatrix(ds, rows), params.window, trailingEnds(rows.length, params));
      const ends =
        params.minRows === undefined
          ? Int32Array.from(stats.windowStarts, (s) => s + params.window - 1)
          : trailingEnds(rows.length, params);
      const newest = (values: Float64Array) => Float64Array.from(ends, (e) => values[rows[e] as number] as number);
      const target = !ds.target
        ? null
        : params.label === 'value'
          ? newest(ds.target)
          : params.minRows !== undefined
            ? newest(ds.target).map((v) => (v > 0 ? 1 : 0)) // label 'last' (checked at load)
            : Float64Array.from(
                windowLabels(
                  Float64Array.from(rows, (r) => ds.target![r] as number),
                  stats.windowStarts,
                  params.window,
                  params.label,
                ),
              );
      return {
        names: stats.featureNames,
        data: stats.data,
        rows: stats.rows,
        target,
        truth: ds.truth && params.label === 'value' ? newest(ds.truth) : undefined,
        group: ds.groups.index[rows[0] as number] as number,
        time: ds.time ? Float64Array.from(ends, (e) => ds.time![rows[e] as number] as number) : Float64Array.from(ends),
        position: Int32Array.from(ends, (e) => positions[rows[e] as number] as number),
      };
    });
    if (parts.every((p) => p.rows === 0)) throw inputError(`window-stats: no group has ${params.window} rows`);
    return stackParts(parts[0]!.names, parts, { groupNames: ds.groups.names, encoding: ds.encoding });
  },
};

/** Window ends for `minRows`: every `hop`-th row of a group of n rows from row minRows − 1 on. */
function trailingEnds(n: number, params: WindowParams): Int32Array {
  const first = (params.minRows ?? params.window) - 1;
  const count = n > first ? Math.floor((n - 1 - first) / params.hop) + 1 : 0;
  return Int32Array.from({ length: count }, (_, k) => first + k * params.hop);
}

/** Per-group normalisation (src/ml/features/group-normalise.ts): removes each experiment's operating point. */
export const groupNormaliseStage: Stage<NormaliseParams, readonly [Dataset], Dataset> = {
  kind: 'features.group-normalise',
  version: '1',
  async run(params, [ds]) {
    const how =
      params.method === 'baseline'
        ? { method: 'baseline' as const, rows: params.rows ?? 2 }
        : { method: 'median-mad' as const };
    const m = normaliseByGroup({ featureNames: ds.featureNames, rows: ds.rows, data: ds.data }, ds.groups.index, how);
    return { ...ds, data: m.data };
  },
};

/**
 * Lag and trailing rolling features of one column for forecasting with a
 * regressor: row t describes the column up to and including t (the value at t
 * under the column's own name, then x[t−1]…x[t−k] as `_lag_k`, and rolling
 * stats over windows ending at t), and the target is its value `horizon` rows
 * later. Rows with an undefined lag or no future value are dropped.
 * Version 2: version 1 left out x[t] itself, so the newest known value never
 * reached the model (a one-step forecast saw the series only up to t−1).
 */
export const lagStage: Stage<LagParams, readonly [Dataset], Dataset> = {
  kind: 'features.lag',
  version: '2',
  async run(params, [ds]) {
    const j = ds.featureNames.indexOf(params.column);
    if (j < 0)
      throw inputError(`lag: no feature column ${JSON.stringify(params.column)}; have ${ds.featureNames.join(', ')}`);
    const parts = rowsByGroup(ds.groups).map((rows) => {
      const series = Float64Array.from(rows, (r) => ds.data[j * ds.rows + r] as number);
      const m = concatColumns(
        matrixFromColumns([params.column], [series]),
        lagFeatures(series, params.lags, `${params.column}_`),
        ...params.rolling.map((w) => rollingStats(series, w, ['mean', 'std'], `${params.column}_`)),
      );
      const first = firstCompleteRow(m);
      const last = series.length - params.horizon;
      const keep = Int32Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i);
      return {
        names: m.featureNames,
        data: takeRows(m.data, m.rows, m.featureNames.length, keep),
        rows: keep.length,
        target: Float64Array.from(keep, (t) => series[t + params.horizon] as number),
        group: ds.groups.index[rows[0] as number] as number,
        time: ds.time ? Float64Array.from(keep, (t) => ds.time![rows[t] as number] as number) : null,
      };
    });
    if (parts.every((p) => p.rows === 0))
      throw inputError('lag: every group is shorter than the lags plus the horizon');
    return stackParts(parts[0]!.names, parts, { groupNames: ds.groups.names, encoding: { ordinal: {} } });
  },
};

type TrailingMeanParams = Extract<FeatureStageSpec, { kind: 'trailing-mean' }>;

/**
 * Trailing means per group (src/ml/features/trailing-mean.ts): row t gets the
 * mean of its group's last `window` rows up to t. Keeps every row and its
 * position, so the per-group protocol still fits on the same source rows.
 */
export const trailingMeanStage: Stage<TrailingMeanParams, readonly [Dataset], Dataset> = {
  kind: 'features.trailing-mean',
  version: '1',
  async run(params, [ds]) {
    const names = ds.featureNames.map((n) => `${n}_mean${params.window}`);
    const featureNames = params.keepRaw ? [...ds.featureNames, ...names] : names;
    const offset = params.keepRaw ? ds.data.length : 0;
    const data = new Float64Array(featureNames.length * ds.rows);
    if (params.keepRaw) data.set(ds.data);
    for (const rows of rowsByGroup(ds.groups)) {
      for (let j = 0; j < ds.featureNames.length; j++) {
        const means = trailingMean(
          Float64Array.from(rows, (r) => ds.data[j * ds.rows + r] as number),
          params.window,
        );
        rows.forEach((r, i) => (data[offset + j * ds.rows + r] = means[i] as number));
      }
    }
    return { ...ds, featureNames, data };
  },
};

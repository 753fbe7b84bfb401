import { inputError } from '../../errors.js';
import { matrixFromColumns, type FeatureMatrix } from './feature-matrix.js';

/**
 * Lag, rolling-window and difference features of one series, aligned with the
 * input: row t of every output describes the series up to and including t (never
 * after), so the features can predict t+1 without look-ahead. Rows where a
 * feature is not yet defined (the first lags / window−1 rows) hold NaN; combine
 * several outputs with concatColumns and cut them with firstCompleteRow.
 */

function checkPositiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw inputError(`${what} must be a positive integer, got ${value}`);
}

/** Columns `${prefix}lag_k` = x[t−k] for each k in lags (a number k means 1..k). */
export function lagFeatures(series: ArrayLike<number>, lags: number | readonly number[], prefix = ''): FeatureMatrix {
  const ks = typeof lags === 'number' ? Array.from({ length: lags }, (_, i) => i + 1) : [...lags];
  ks.forEach((k) => checkPositiveInt(k, 'lag'));
  const n = series.length;
  const cols = ks.map((k) => {
    const col = new Float64Array(n).fill(NaN);
    for (let t = k; t < n; t++) col[t] = series[t - k] as number;
    return col;
  });
  return matrixFromColumns(
    ks.map((k) => `${prefix}lag_${k}`),
    cols,
  );
}

/** x[t] − x[t−lag]; NaN for t < lag. */
export function difference(series: ArrayLike<number>, lag = 1): Float64Array {
  checkPositiveInt(lag, 'difference lag');
  const out = new Float64Array(series.length).fill(NaN);
  for (let t = lag; t < series.length; t++) out[t] = (series[t] as number) - (series[t - lag] as number);
  return out;
}

export type RollingStat = 'mean' | 'std' | 'min' | 'max';

/**
 * Trailing rolling statistics over x[t−window+1 .. t]; std is the population std
 * (ddof = 0). O(n) per statistic: running sums for mean/std (recentred on the
 * first value to limit cancellation) and monotonic deques for min/max.
 */
export function rollingStats(
  series: ArrayLike<number>,
  window: number,
  stats: readonly RollingStat[] = ['mean', 'std', 'min', 'max'],
  prefix = '',
): FeatureMatrix {
  checkPositiveInt(window, 'rolling window');
  const n = series.length;
  const shift = n > 0 ? (series[0] as number) : 0;
  const mean = new Float64Array(n).fill(NaN);
  const std = new Float64Array(n).fill(NaN);
  let sum = 0;
  let sumSq = 0;
  for (let t = 0; t < n; t++) {
    const v = (series[t] as number) - shift;
    sum += v;
    sumSq += v * v;
    if (t >= window) {
      const old = (series[t - window] as number) - shift;
      sum -= old;
      sumSq -= old * old;
    }
    if (t >= window - 1) {
      const m = sum / window;
      mean[t] = m + shift;
      std[t] = Math.sqrt(Math.max(0, sumSq / window - m * m));
    }
  }
  const extreme = (better: (a: number, b: number) => boolean): Float64Array => {
    const out = new Float64Array(n).fill(NaN);
    const deque = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (let t = 0; t < n; t++) {
      const v = series[t] as number;
      while (tail > head && !better(series[deque[tail - 1] as number] as number, v)) tail--;
      deque[tail++] = t;
      if ((deque[head] as number) <= t - window) head++;
      if (t >= window - 1) out[t] = series[deque[head] as number] as number;
    }
    return out;
  };
  const byName: Record<RollingStat, () => Float64Array> = {
    mean: () => mean,
    std: () => std,
    min: () => extreme((a, b) => a < b),
    max: () => extreme((a, b) => a > b),
  };
  return matrixFromColumns(
    stats.map((s) => `${prefix}roll${window}_${s}`),
    stats.map((s) => byName[s]()),
  );
}

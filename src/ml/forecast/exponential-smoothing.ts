import { inputError } from '../../errors.js';
import { minimiseOnUnitBox } from './unit-box-search.js';

/**
 * Exponential smoothing (Hyndman & Athanasopoulos, FPP3 ch. 8), error
 * correction form, one-step-ahead:
 * - simple (SES): ŷ[t+1] = ℓ[t], ℓ[t] = α·y[t] + (1−α)·ℓ[t−1]; ℓ[0] = y[0].
 * - Holt (additive trend): ŷ[t+1] = ℓ[t] + b[t];
 *   ℓ[t] = α·y[t] + (1−α)(ℓ[t−1] + b[t−1]), b[t] = β(ℓ[t] − ℓ[t−1]) + (1−β)b[t−1];
 *   ℓ[0] = y[0], b[0] = y[1] − y[0].
 * - Holt-Winters additive, season m: ŷ[t+1] = ℓ[t] + b[t] + s[t+1−m];
 *   ℓ[t] = α(y[t] − s[t−m]) + (1−α)(ℓ[t−1] + b[t−1]),
 *   b[t] = β(ℓ[t] − ℓ[t−1]) + (1−β)b[t−1],
 *   s[t] = γ(y[t] − ℓ[t−1] − b[t−1]) + (1−γ)s[t−m];
 *   initial state from the first two seasons: ℓ = mean of season 1,
 *   b = (mean of season 2 − mean of season 1)/m, s[i] = y[i] − ℓ (i < m).
 *
 * Parameters are fitted on the training part by minimising the one-step sum of
 * squared errors (as statsmodels does), with a deterministic search on (0, 1)
 * (unit-box-search.ts) so a NumPy re-implementation reproduces them exactly
 * (test/fixtures/forecasters). Predictions over a test period run the same
 * recursion through the true past with the parameters fixed.
 */
export type SmoothingMethod = 'ses' | 'holt' | 'holt-winters';

export interface SmoothingParams {
  alpha: number;
  beta?: number;
  gamma?: number;
  season?: number;
}

/** First index with a one-step prediction: 1 (SES, Holt) or m (Holt-Winters, after the initial season). */
export function firstPredicted(method: SmoothingMethod, season = 1): number {
  return method === 'holt-winters' ? season : 1;
}

/**
 * One-step predictions ŷ[t] for t in [from, n), each from y[0..t−1] only.
 * `from` must be at least firstPredicted(method); entries before it are not computed.
 */
export function smoothingOneStep(
  method: SmoothingMethod,
  params: SmoothingParams,
  series: ArrayLike<number>,
  from: number,
): Float64Array {
  const n = series.length;
  if (from < firstPredicted(method, params.season))
    throw inputError(`${method} predicts from index ${firstPredicted(method, params.season)} on, not ${from}`);
  const out = new Float64Array(Math.max(0, n - from));
  const y = (t: number) => series[t] as number;
  const { alpha } = params;
  if (method === 'ses') {
    let level = y(0);
    for (let t = 1; t < n; t++) {
      if (t >= from) out[t - from] = level;
      level = alpha * y(t) + (1 - alpha) * level;
    }
    return out;
  }
  const beta = params.beta ?? 0;
  if (method === 'holt') {
    let level = y(0);
    let trend = y(1) - y(0);
    for (let t = 1; t < n; t++) {
      if (t >= from) out[t - from] = level + trend;
      const previous = level;
      level = alpha * y(t) + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
    }
    return out;
  }
  const m = params.season ?? 1;
  const gamma = params.gamma ?? 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i++) {
    first += y(i);
    second += y(m + i);
  }
  first /= m;
  second /= m;
  let level = first;
  let trend = (second - first) / m;
  const seasonal = new Float64Array(n);
  for (let i = 0; i < m; i++) seasonal[i] = y(i) - level;
  for (let t = m; t < n; t++) {
    const s = seasonal[t - m] as number;
    if (t >= from) out[t - from] = level + trend + s;
    const previous = level;
    level = alpha * (y(t) - s) + (1 - alpha) * (level + trend);
    seasonal[t] = gamma * (y(t) - previous - trend) + (1 - gamma) * s;
    trend = beta * (level - previous) + (1 - beta) * trend;
  }
  return out;
}

/** Fits α (β, γ) on `train` by least one-step squared error. */
export function fitSmoothing(method: SmoothingMethod, train: ArrayLike<number>, season = 1): SmoothingParams {
  const minimum = method === 'holt-winters' ? 2 * season + 1 : method === 'holt' ? 3 : 2;
  if (train.length < minimum)
    throw inputError(`${method} needs at least ${minimum} training values, got ${train.length}`);
  if (method === 'holt-winters' && !(Number.isInteger(season) && season >= 2))
    throw inputError(`Holt-Winters needs a season of 2 or more, got ${season}`);
  const start = firstPredicted(method, season);
  const toParams = (x: readonly number[]): SmoothingParams =>
    method === 'ses'
      ? { alpha: x[0]! }
      : method === 'holt'
        ? { alpha: x[0]!, beta: x[1]! }
        : { alpha: x[0]!, beta: x[1]!, gamma: x[2]!, season };
  const sse = (x: readonly number[]) => {
    const p = smoothingOneStep(method, toParams(x), train, start);
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const e = (train[start + i] as number) - (p[i] as number);
      s += e * e;
    }
    return s;
  };
  const dims = method === 'ses' ? 1 : method === 'holt' ? 2 : 3;
  return toParams(minimiseOnUnitBox(sse, dims));
}

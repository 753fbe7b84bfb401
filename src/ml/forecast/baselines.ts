import { inputError } from '../../errors.js';

/**
 * Forecast baselines every model must beat:
 * - naive: every future value equals the last observed one;
 * - seasonal naive with season m: ŷ[T+h] = y[T+h−m·⌈h/m⌉], i.e. the value one
 *   season earlier.
 * The `oneStep*` variants give rolling one-step-ahead predictions for t in
 * [from, n) from the true past, the setting forecast evaluation uses.
 */
export function naiveForecast(history: ArrayLike<number>, horizon: number): Float64Array {
  if (history.length === 0) throw inputError('naive forecast needs at least one observation');
  return new Float64Array(horizon).fill(history[history.length - 1] as number);
}

export function seasonalNaiveForecast(history: ArrayLike<number>, season: number, horizon: number): Float64Array {
  if (!Number.isInteger(season) || season < 1)
    throw inputError(`season length must be a positive integer, got ${season}`);
  if (history.length < season)
    throw inputError(`seasonal naive needs a full season (${season}) of history, got ${history.length}`);
  const n = history.length;
  const out = new Float64Array(horizon);
  for (let h = 1; h <= horizon; h++) out[h - 1] = history[n + h - season * Math.ceil(h / season) - 1] as number;
  return out;
}

export function oneStepNaive(series: ArrayLike<number>, from: number): Float64Array {
  if (from < 1) throw inputError('one-step naive predictions start at index 1 or later');
  const out = new Float64Array(Math.max(0, series.length - from));
  for (let t = from; t < series.length; t++) out[t - from] = series[t - 1] as number;
  return out;
}

export function oneStepSeasonalNaive(series: ArrayLike<number>, season: number, from: number): Float64Array {
  if (from < season) throw inputError(`one-step seasonal naive predictions need from ≥ season (${season})`);
  const out = new Float64Array(Math.max(0, series.length - from));
  for (let t = from; t < series.length; t++) out[t - from] = series[t - season] as number;
  return out;
}

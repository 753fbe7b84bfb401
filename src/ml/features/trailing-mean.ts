import { inputError } from '../../errors.js';

/**
 * Mean of the last `window` values up to and including t, over the values
 * available at a series' start (t < window − 1 averages t + 1 values): causal,
 * so a row's feature uses nothing after it, and defined from the first row, so
 * no row is dropped and positions in the group stay those of the source.
 * Averaging over a minute lets a detector see a sustained shift rather than
 * 1-second noise (SKAB: the sensors are sampled once a second).
 */
export function trailingMean(series: ArrayLike<number>, window: number): Float64Array {
  if (!(Number.isInteger(window) && window >= 1)) throw inputError(`trailing mean window must be ≥ 1, got ${window}`);
  const n = series.length;
  const out = new Float64Array(n);
  // Kahan-free running sum on values shifted by the first one: the sensors sit far from 0 (voltage ~230).
  const shift = n > 0 ? (series[0] as number) : 0;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    sum += (series[t] as number) - shift;
    if (t >= window) sum -= (series[t - window] as number) - shift;
    out[t] = sum / Math.min(t + 1, window) + shift;
  }
  return out;
}

/**
 * Supervised windows for a lag-based forecaster: window i has inputs
 * z[i .. i+lags) and targets z[i+lags .. i+lags+horizon). Row-major Float32Array,
 * the layout tfjs tensors take. With `relative`, the window's last input value is
 * subtracted from its inputs and targets, so the network learns changes from the
 * current level: it then behaves like naive plus a learned correction and does
 * not have to extrapolate beyond the training range when the level drifts.
 */
export interface LagWindows {
  inputs: Float32Array;
  targets: Float32Array;
  count: number;
  lags: number;
  horizon: number;
}

export function lagWindows(z: ArrayLike<number>, lags: number, horizon: number, relative = false): LagWindows {
  const count = Math.max(0, z.length - lags - horizon + 1);
  const inputs = new Float32Array(count * lags);
  const targets = new Float32Array(count * horizon);
  for (let i = 0; i < count; i++) {
    const base = relative ? (z[i + lags - 1] as number) : 0;
    for (let k = 0; k < lags; k++) inputs[i * lags + k] = (z[i + k] as number) - base;
    for (let h = 0; h < horizon; h++) targets[i * horizon + h] = (z[i + lags + h] as number) - base;
  }
  return { inputs, targets, count, lags, horizon };
}

/** Rows `indices` of a row-major matrix with `width` columns. */
export function gatherRows(source: Float32Array, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const from = (indices[r] as number) * width;
    out.set(source.subarray(from, from + width), r * width);
  }
  return out;
}

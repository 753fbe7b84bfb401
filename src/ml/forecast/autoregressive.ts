import { inputError } from '../../errors.js';

/**
 * Linear autoregression AR(p) with an intercept, fitted by ordinary least
 * squares on the training part: y[t] ≈ c + φ1·y[t−1] + … + φp·y[t−p] over
 * t = p … n−1 (the "conditional" least-squares fit, as statsmodels' AutoReg).
 * Solved through the normal equations with Cholesky; a small ridge (1e-10 ×
 * the trace) keeps a near-constant series solvable. One-step predictions over a
 * test period use the true past with the coefficients fixed.
 */
export interface ArModel {
  p: number;
  intercept: number;
  /** coefficients[i] multiplies y[t − 1 − i]. */
  coefficients: number[];
}

export function fitAutoregressive(train: ArrayLike<number>, p: number): ArModel {
  if (!Number.isInteger(p) || p < 1) throw inputError(`AR order must be a positive integer, got ${p}`);
  const n = train.length;
  if (n - p < p + 2) throw inputError(`AR(${p}) needs more than ${2 * p + 2} training values, got ${n}`);
  const k = p + 1;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  const row = new Float64Array(k);
  for (let t = p; t < n; t++) {
    row[0] = 1;
    for (let i = 1; i <= p; i++) row[i] = train[t - i] as number;
    const y = train[t] as number;
    for (let a = 0; a < k; a++) {
      const ra = row[a] as number;
      xty[a] = (xty[a] as number) + ra * y;
      for (let b = 0; b <= a; b++) xtx[a * k + b] = (xtx[a * k + b] as number) + ra * (row[b] as number);
    }
  }
  let trace = 0;
  for (let a = 0; a < k; a++) trace += xtx[a * k + a] as number;
  for (let a = 0; a < k; a++) xtx[a * k + a] = (xtx[a * k + a] as number) + 1e-10 * trace;
  const beta = solveSymmetric(xtx, xty, k);
  return { p, intercept: beta[0] as number, coefficients: Array.from(beta.subarray(1)) };
}

/** ŷ[t] for t in [from, n), from y[t−p..t−1]. */
export function autoregressiveOneStep(model: ArModel, series: ArrayLike<number>, from: number): Float64Array {
  if (from < model.p) throw inputError(`AR(${model.p}) predicts from index ${model.p} on, not ${from}`);
  const out = new Float64Array(Math.max(0, series.length - from));
  for (let t = from; t < series.length; t++) {
    let s = model.intercept;
    for (let i = 0; i < model.p; i++) s += (model.coefficients[i] as number) * (series[t - 1 - i] as number);
    out[t - from] = s;
  }
  return out;
}

/** Solves A·x = b for symmetric positive-definite A (lower triangle filled), by Cholesky. */
function solveSymmetric(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j] as number;
      for (let q = 0; q < j; q++) s -= (l[i * k + q] as number) * (l[j * k + q] as number);
      if (i === j) {
        if (!(s > 0)) throw inputError('AR fit: the lagged values are collinear (a constant series?)');
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / (l[j * k + j] as number);
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i] as number;
    for (let q = 0; q < i; q++) s -= (l[i * k + q] as number) * (z[q] as number);
    z[i] = s / (l[i * k + i] as number);
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let q = i + 1; q < k; q++) s -= (l[q * k + i] as number) * (x[q] as number);
    x[i] = s / (l[i * k + i] as number);
  }
  return x;
}

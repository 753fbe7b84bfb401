import { inputError } from '../../errors.js';

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw inputError(`got ${yTrue.length} targets but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw inputError('regression metrics need at least one row');
  return yTrue.length;
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return s / n;
}

export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (yTrue[i] as number) - (yPred[i] as number);
    s += d * d;
  }
  return Math.sqrt(s / n);
}

export interface MapeResult {
  /** Mean of |y − ŷ| / |y| over rows with y ≠ 0, as a fraction (0.05 = 5 %); NaN if every target is 0. */
  value: number;
  /** Rows left out because their target is 0 (the ratio is undefined there). */
  skippedZeroTargets: number;
}

/**
 * Mean absolute percentage error, skipping zero targets and saying how many.
 * (scikit-learn instead divides by max(|y|, eps), which turns a zero target
 * into an enormous error; skipping is the honest choice for RUL, where y = 0 is
 * the failure itself.)
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MapeResult {
  const n = check(yTrue, yPred);
  let s = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    if (t === 0) continue;
    s += Math.abs((t - (yPred[i] as number)) / t);
    used++;
  }
  return { value: used === 0 ? Number.NaN : s / used, skippedZeroTargets: n - used };
}

/**
 * Coefficient of determination, 1 − SS_res / SS_tot. With constant targets
 * (SS_tot = 0) it is 1 for a perfect prediction and 0 otherwise, as
 * scikit-learn's r2_score(force_finite=True).
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = check(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] as number;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const d = t - (yPred[i] as number);
    ssRes += d * d;
    ssTot += (t - mean) * (t - mean);
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

export interface RegressionReport {
  n: number;
  mae: number;
  rmse: number;
  mape: number;
  mapeSkippedZeroTargets: number;
  r2: number;
}

export function regressionReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionReport {
  const mape = meanAbsolutePercentageError(yTrue, yPred);
  return {
    n: yTrue.length,
    mae: meanAbsoluteError(yTrue, yPred),
    rmse: rootMeanSquaredError(yTrue, yPred),
    mape: mape.value,
    mapeSkippedZeroTargets: mape.skippedZeroTargets,
    r2: r2Score(yTrue, yPred),
  };
}

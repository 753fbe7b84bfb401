/**
 * Private forecast error measures (the shared metrics live in src/ml/metrics,
 * owned elsewhere; these stay here so forecasting does not depend on it).
 * - MAE: mean |y − ŷ|.
 * - MAPE: mean |y − ŷ| / |y| in percent over points with y ≠ 0; the number of
 *   points left out for y = 0 is reported, since MAPE is undefined there.
 */
export function forecastMae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length !== predicted.length || actual.length === 0)
    throw new RangeError('MAE needs two equal, non-empty arrays');
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs((actual[i] as number) - (predicted[i] as number));
  return s / actual.length;
}

export function forecastMape(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): { mape: number; skippedZeros: number } {
  if (actual.length !== predicted.length || actual.length === 0)
    throw new RangeError('MAPE needs two equal, non-empty arrays');
  let s = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    if (y === 0) continue;
    s += Math.abs((y - (predicted[i] as number)) / y);
    n++;
  }
  return { mape: n > 0 ? (100 * s) / n : NaN, skippedZeros: actual.length - n };
}

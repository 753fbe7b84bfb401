/** numpy.quantile with linear interpolation (its default), NaN values left out; NaN for no values. */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

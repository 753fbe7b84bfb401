/** What an evaluation adds to metrics.json: the primary figure, the flat table and the detail (see Metrics in evaluate-stage.ts). */
export interface EvaluationFigures {
  primary: { name: string; value: number; higherIsBetter: boolean };
  metrics: Record<string, number>;
  detail: Record<string, unknown>;
}

/** numpy.quantile with linear interpolation. */
export function linearQuantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] as number) + (pos - lo) * ((s[hi] as number) - (s[lo] as number));
}

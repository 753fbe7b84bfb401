/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  // A range narrower than the values' own precision (five equal seeds, a mean one ulp off) has no round steps:
  // adding such a step leaves t unchanged and the loop would never end.
  if (step <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12) return [lo];
  const ticks: number[] = [];
  const first = Math.ceil(lo / step);
  for (let k = 0; k <= 4 * count; k++) {
    const t = (first + k) * step;
    if (t > hi + step * 1e-9) break;
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return ticks;
}

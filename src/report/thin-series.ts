/**
 * Fewer points for a chart, chosen so the picture stays true: a report stores
 * and draws at most a few thousand points per chart (a 33,000-row anomaly
 * score would make a 3 MB page and a slow one).
 */

/** Indices 0…n−1 at an even stride, at most `max`, always including the first and last. */
export function strideIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const step = (n - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(Math.round(k * step));
  return out;
}

/**
 * A series over x (time, row) cut into buckets, keeping each bucket's lowest
 * and highest point in x order: spikes (an anomaly score's peaks) survive,
 * unlike a plain stride. At most `max` points.
 */
export function minMaxIndices(y: ArrayLike<number>, max: number): number[] {
  const n = y.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(max / 2));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if ((y[i] as number) < (y[lo] as number)) lo = i;
      if ((y[i] as number) > (y[hi] as number)) hi = i;
    }
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return out;
}

/** The values at `indices`, as a plain array (JSON-friendly), rounded to `digits` significant digits. */
export function pick(values: ArrayLike<number>, indices: readonly number[], digits = 6): number[] {
  return indices.map((i) => round(values[i] as number, digits));
}

export function round(v: number, digits = 6): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}

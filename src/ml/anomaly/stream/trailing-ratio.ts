/**
 * Each value divided by the median of the `window` values before it (NaNs
 * skipped): a scale-free "how many times the usual" that is comparable across
 * series of different units and noise levels, so one threshold can serve
 * several files. 0 until `minHistory` values have been seen. The median is
 * kept over a sorted copy of the trailing window (O(window) per step).
 */
export function trailingRatio(values: Float64Array, window: number, minHistory = 30): Float64Array {
  const out = new Float64Array(values.length);
  const sorted: number[] = [];
  const queue: number[] = [];
  for (let t = 0; t < values.length; t++) {
    const v = values[t] as number;
    if (sorted.length >= minHistory && Number.isFinite(v)) {
      const k = sorted.length;
      const median =
        k % 2 ? (sorted[(k - 1) / 2] as number) : ((sorted[k / 2 - 1] as number) + (sorted[k / 2] as number)) / 2;
      out[t] = median > 0 ? v / median : v > 0 ? Infinity : 0;
    }
    if (!Number.isFinite(v)) continue;
    sorted.splice(lowerBound(sorted, v), 0, v);
    queue.push(v);
    if (queue.length > window) sorted.splice(lowerBound(sorted, queue.shift() as number), 1);
  }
  return out;
}

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sorting helpers shared by the numeric tests: every statistic here works on
 * ascending Float64Arrays, sorted once per column with the typed-array sort
 * (numeric, no comparator callback, so it runs at native speed).
 */

export interface SortedSample {
  /** Ascending finite values. */
  readonly values: Float64Array;
  /** How many NaN / ±Infinity values were dropped. */
  readonly dropped: number;
}

/** Copy the finite values of `data` and sort them ascending. */
export function sortFinite(data: ArrayLike<number>): SortedSample {
  const out = new Float64Array(data.length);
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) out[count++] = v;
  }
  const values = count === out.length ? out : out.slice(0, count);
  values.sort();
  return { values, dropped: data.length - count };
}

/**
 * Merges two ascending samples one distinct value at a time, in increasing
 * order, passing how many times the value occurs in `a` and in `b`: the tie
 * groups that rank and EDF statistics (Mann–Whitney, Anderson–Darling) need.
 */
export function forEachTieGroup(
  a: Float64Array,
  b: Float64Array,
  visit: (x: number, inA: number, inB: number) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    visit(x, i - i0, j - j0);
  }
}

/** Sort a copy of `data` ascending, assuming it holds no NaN. */
export function sortedCopy(data: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(data);
  out.sort();
  return out;
}

/** First index i with sorted[i] > x (numpy searchsorted side='right'). */
export function upperBound(sorted: Float64Array, x: number, lo = 0, hi = sorted.length): number {
  let l = lo;
  let h = hi;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (sorted[mid]! <= x) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** First index i with sorted[i] >= x (numpy searchsorted side='left'). */
export function lowerBound(sorted: Float64Array, x: number, lo = 0, hi = sorted.length): number {
  let l = lo;
  let h = hi;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (sorted[mid]! < x) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** Arithmetic mean and population standard deviation (numpy.std, ddof=0), two-pass. */
export function meanAndStd(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return { mean, std: Math.sqrt(ss / n) };
}

export interface DistinctCounts {
  /** The distinct values of both samples, ascending. */
  values: number[];
  reference: Float64Array;
  current: Float64Array;
}

/**
 * The pooled distinct values of two ascending samples with their counts on
 * each side, or undefined when there are more than `max` of them. Jumps from
 * one value to the next by binary search, so a continuous column costs
 * O(max · log n), not a pass over the data.
 */
export function distinctCountsUpTo(a: Float64Array, b: Float64Array, max: number): DistinctCounts | undefined {
  const values: number[] = [];
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (values.length === max) return undefined;
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i1 = upperBound(a, x, i);
    const j1 = upperBound(b, x, j);
    values.push(x);
    refCounts.push(i1 - i);
    curCounts.push(j1 - j);
    i = i1;
    j = j1;
  }
  return { values, reference: Float64Array.from(refCounts), current: Float64Array.from(curCounts) };
}

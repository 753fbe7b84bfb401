import { inputError, usageError } from '../../errors.js';
import type { TrainTest } from './stratified-split.js';

/**
 * Time-ordered splits: training rows always precede test rows, as in
 * production where a model only ever sees the past. Rows sharing a timestamp
 * are never split across the boundary.
 */

function timeOrder(times: ArrayLike<number>): Int32Array {
  const order = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) {
    if (Number.isNaN(times[i])) throw inputError(`time at row ${i} is NaN`);
    order[i] = i;
  }
  return order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
}

/** Move a cut forward until it no longer falls between rows with the same time. */
function alignCut(order: Int32Array, times: ArrayLike<number>, cut: number): number {
  let c = cut;
  while (c > 0 && c < order.length && times[order[c] as number] === times[order[c - 1] as number]) c++;
  return c;
}

export interface TimeSplitOptions {
  /** Share of the latest rows used for testing (default 0.2); ignored when testFrom is set. */
  testSize?: number;
  /** Rows with time >= testFrom are the test set. */
  testFrom?: number;
  /** Rows dropped between train and test (e.g. the label horizon), default 0. */
  gap?: number;
}

/** Latest rows (by `times`, e.g. epoch milliseconds) as test, earlier ones as train. */
export function timeTrainTestSplit(times: ArrayLike<number>, options: TimeSplitOptions = {}): TrainTest {
  const order = timeOrder(times);
  const n = order.length;
  const gap = options.gap ?? 0;
  if (!Number.isInteger(gap) || gap < 0) throw usageError(`gap must be an integer >= 0, got ${gap}`);
  let cut: number;
  if (options.testFrom !== undefined) {
    cut = 0;
    while (cut < n && (times[order[cut] as number] as number) < options.testFrom) cut++;
  } else {
    const testSize = options.testSize ?? 0.2;
    if (!(testSize > 0 && testSize < 1)) throw usageError(`testSize must be in (0, 1), got ${testSize}`);
    cut = alignCut(order, times, n - Math.ceil(testSize * n));
  }
  const trainEnd = Math.max(0, cut - gap);
  if (trainEnd === 0 || cut >= n) throw inputError('the time split leaves the train or the test set empty');
  return { train: order.slice(0, trainEnd).sort(), test: order.slice(cut).sort() };
}

/**
 * Expanding-window splits like scikit-learn's TimeSeriesSplit: the rows are
 * cut into nSplits + 1 consecutive blocks; split i trains on blocks 0..i and
 * tests on block i + 1 (minus `gap` rows before it).
 */
export function timeSeriesSplit(times: ArrayLike<number>, nSplits: number, gap = 0): TrainTest[] {
  if (!Number.isInteger(nSplits) || nSplits < 2) throw usageError(`nSplits must be an integer >= 2, got ${nSplits}`);
  const order = timeOrder(times);
  const n = order.length;
  const testSize = Math.floor(n / (nSplits + 1));
  if (testSize < 1 || n - nSplits * testSize - gap < 1)
    throw inputError(`cannot make ${nSplits} time splits from ${n} rows`);
  const out: TrainTest[] = [];
  for (let i = 0; i < nSplits; i++) {
    const testStart = alignCut(order, times, n - (nSplits - i) * testSize);
    const testEnd = i === nSplits - 1 ? n : alignCut(order, times, n - (nSplits - i - 1) * testSize);
    if (testStart >= testEnd) continue; // a block swallowed by one timestamp
    out.push({
      train: order.slice(0, Math.max(0, testStart - gap)).sort(),
      test: order.slice(testStart, testEnd).sort(),
    });
  }
  return out;
}

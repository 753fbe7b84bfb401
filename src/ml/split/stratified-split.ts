import { inputError, usageError } from '../../errors.js';
import { Random } from '../../random.js';

/**
 * Stratified splits, seeded. Each class keeps (as nearly as integers allow)
 * its share in train and test and in every fold. The row permutation comes
 * from smx's own PRNG, so a seed does NOT pick the same rows as scikit-learn's
 * random_state (that would need NumPy's Mersenne Twister and its exact call
 * sequence); proportions match, the rows themselves differ.
 */

export interface TrainTest {
  /** Row indices, ascending. */
  train: Int32Array;
  test: Int32Array;
}

export interface SplitOptions {
  /** Share of rows in the test set, in (0, 1) (default 0.2); test size is ceil(testSize · n) as in scikit-learn. */
  testSize?: number;
  seed?: number;
}

/** Row indices of each class, classes in ascending label order. */
function rowsByClass(y: ArrayLike<number | string>): number[][] {
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number | string;
    let g = groups.get(v);
    if (!g) groups.set(v, (g = []));
    g.push(i);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, rows]) => rows);
}

function checkTestSize(testSize: number): void {
  if (!(testSize > 0 && testSize < 1)) throw usageError(`testSize must be in (0, 1), got ${testSize}`);
}

function sortedInt32(values: number[]): Int32Array {
  return Int32Array.from(values).sort();
}

/**
 * Stratified train/test split. Per class, the test count is its share of
 * ceil(testSize · n), floored, with the leftover rows going to the classes with
 * the largest remainders (ties: larger class first, then label order).
 */
export function stratifiedTrainTestSplit(y: ArrayLike<number | string>, options: SplitOptions = {}): TrainTest {
  const testSize = options.testSize ?? 0.2;
  checkTestSize(testSize);
  const n = y.length;
  const nTest = Math.ceil(testSize * n);
  if (nTest >= n) throw inputError(`a test share of ${testSize} leaves no training rows out of ${n}`);
  const classes = rowsByClass(y);
  for (const rows of classes) {
    if (rows.length < 2) {
      throw inputError(`class of row ${rows[0]} has only 1 member: a stratified split needs at least 2 per class`, {
        hint: 'drop or merge rare classes, or use a plain split',
      });
    }
  }
  const quota = classes.map((rows) => Math.floor((rows.length * nTest) / n));
  let left = nTest - quota.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((rows, i) => ({ i, rem: (rows.length * nTest) / n - (quota[i] as number), size: rows.length }))
    .sort((a, b) => b.rem - a.rem || b.size - a.size || a.i - b.i);
  for (const c of byRemainder) {
    if (left === 0) break;
    quota[c.i] = (quota[c.i] as number) + 1;
    left--;
  }
  const rng = new Random(options.seed ?? 0);
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((rows, i) => {
    const perm = rng.shuffle(Int32Array.from(rows));
    const q = quota[i] as number;
    for (let j = 0; j < perm.length; j++) (j < q ? test : train).push(perm[j] as number);
  });
  return { train: sortedInt32(train), test: sortedInt32(test) };
}

/**
 * Stratified k-fold: rows are shuffled within each class, then dealt to folds
 * round-robin continuing from class to class, so every fold gets each class's
 * rows within one and fold sizes differ by at most one.
 */
export function stratifiedKFold(
  y: ArrayLike<number | string>,
  k: number,
  options: { seed?: number; shuffle?: boolean } = {},
): TrainTest[] {
  if (!Number.isInteger(k) || k < 2) throw usageError(`k must be an integer >= 2, got ${k}`);
  if (k > y.length) throw inputError(`cannot make ${k} folds from ${y.length} rows`);
  const rng = new Random(options.seed ?? 0);
  const fold = new Int32Array(y.length);
  let next = 0;
  for (const rows of rowsByClass(y)) {
    const perm = Int32Array.from(rows);
    if (options.shuffle ?? true) rng.shuffle(perm);
    for (let j = 0; j < perm.length; j++) {
      fold[perm[j] as number] = next;
      next = (next + 1) % k;
    }
  }
  return foldsFromAssignment(fold, k);
}

/** Train/test pairs from a fold number per row. */
export function foldsFromAssignment(fold: Int32Array, k: number): TrainTest[] {
  const out: TrainTest[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

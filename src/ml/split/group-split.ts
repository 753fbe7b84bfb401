import { inputError, usageError } from '../../errors.js';
import { Random } from '../../random.js';
import { type TrainTest, foldsFromAssignment } from './stratified-split.js';

/**
 * Splits that keep every group (an experiment file, a machine, a bearing) whole,
 * so no test row has a sibling in training: rows of one run are strongly
 * correlated and splitting them leaks.
 */

function groupIds(groups: ArrayLike<number | string>): { ids: Int32Array; names: (number | string)[] } {
  const index = new Map<number | string, number>();
  const names: (number | string)[] = [];
  const ids = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as number | string;
    let id = index.get(g);
    if (id === undefined) {
      id = names.length;
      index.set(g, id);
      names.push(g);
    }
    ids[i] = id;
  }
  return { ids, names };
}

/**
 * Random group split like scikit-learn's GroupShuffleSplit: ceil(testSize ·
 * groups) groups, chosen with the seed, form the test set.
 */
export function groupTrainTestSplit(
  groups: ArrayLike<number | string>,
  options: { testSize?: number; seed?: number } = {},
): TrainTest & { testGroups: (number | string)[] } {
  const testSize = options.testSize ?? 0.2;
  if (!(testSize > 0 && testSize < 1)) throw usageError(`testSize must be in (0, 1), got ${testSize}`);
  const { ids, names } = groupIds(groups);
  if (names.length < 2) throw inputError(`a group split needs at least 2 groups, got ${names.length}`);
  const nTest = Math.min(names.length - 1, Math.max(1, Math.ceil(testSize * names.length)));
  const perm = new Random(options.seed ?? 0).permutation(names.length);
  const isTest = new Uint8Array(names.length);
  for (let j = 0; j < nTest; j++) isTest[perm[j] as number] = 1;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < ids.length; i++) (isTest[ids[i] as number] === 1 ? test : train).push(i);
  return {
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    testGroups: names.filter((_, g) => isTest[g] === 1),
  };
}

/**
 * Group k-fold like scikit-learn's GroupKFold (deterministic): groups, largest
 * first, each go to the fold with the fewest rows so far.
 */
export function groupKFold(groups: ArrayLike<number | string>, k: number): TrainTest[] {
  if (!Number.isInteger(k) || k < 2) throw usageError(`k must be an integer >= 2, got ${k}`);
  const { ids, names } = groupIds(groups);
  if (names.length < k) throw inputError(`cannot make ${k} folds from ${names.length} groups`);
  const size = new Float64Array(names.length);
  for (let i = 0; i < ids.length; i++) size[ids[i] as number] = (size[ids[i] as number] as number) + 1;
  const order = Array.from({ length: names.length }, (_, g) => g).sort(
    (a, b) => (size[b] as number) - (size[a] as number) || a - b,
  );
  const foldSize = new Float64Array(k);
  const foldOfGroup = new Int32Array(names.length);
  for (const g of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if ((foldSize[f] as number) < (foldSize[best] as number)) best = f;
    foldOfGroup[g] = best;
    foldSize[best] = (foldSize[best] as number) + (size[g] as number);
  }
  const fold = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) fold[i] = foldOfGroup[ids[i] as number] as number;
  return foldsFromAssignment(fold, k);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stratifiedKFold, stratifiedTrainTestSplit } from '../../../src/ml/split/stratified-split.js';

const count = (idx: Int32Array, y: number[], label: number): number => [...idx].filter((i) => y[i] === label).length;

describe('stratified splits', () => {
  // 97 negatives, 3 positives... scaled up: 966 zeros and 34 ones (AI4I's 3.4 %)
  const y = Array.from({ length: 1000 }, (_, i) => (i % 29 === 0 && i < 986 ? 1 : 0));
  const ones = y.filter((v) => v === 1).length;

  it('keeps class shares and sizes like scikit-learn (test = ceil(0.2 n))', () => {
    const { train, test } = stratifiedTrainTestSplit(y, { testSize: 0.2, seed: 42 });
    assert.equal(test.length, 200);
    assert.equal(train.length, 800);
    assert.equal(count(test, y, 1), Math.round((ones * 200) / 1000));
    const all = new Set([...train, ...test]);
    assert.equal(all.size, 1000);
  });

  it('is deterministic per seed and varies across seeds', () => {
    const a = stratifiedTrainTestSplit(y, { seed: 1 });
    const b = stratifiedTrainTestSplit(y, { seed: 1 });
    const c = stratifiedTrainTestSplit(y, { seed: 2 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
  });

  it('distributes leftover test rows to the largest remainders', () => {
    // 3 classes of 5 rows, 20 % of 15 = 3 test rows: exactly one per class
    const yy = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    const { test } = stratifiedTrainTestSplit(yy, { testSize: 0.2, seed: 0 });
    assert.deepEqual(
      [0, 1, 2].map((l) => count(test, yy, l)),
      [1, 1, 1],
    );
  });

  it('refuses a class with a single member', () => {
    assert.throws(() => stratifiedTrainTestSplit([0, 0, 0, 1]), /only 1 member/);
  });

  it('k-fold: every row tested once, class counts per fold within one', () => {
    const folds = stratifiedKFold(y, 5, { seed: 3 });
    const seen = new Int32Array(y.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]! += 1;
      assert.equal(f.train.length + f.test.length, y.length);
      const c = count(f.test, y, 1);
      assert.ok(c >= Math.floor(ones / 5) && c <= Math.ceil(ones / 5), `fold has ${c} positives`);
      assert.ok(f.test.length === 200);
    }
    assert.ok(seen.every((v) => v === 1));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupKFold, groupTrainTestSplit } from '../../../src/ml/split/group-split.js';
import { timeSeriesSplit, timeTrainTestSplit } from '../../../src/ml/split/time-split.js';

describe('group splits', () => {
  // 10 experiment files of varying length
  const groups = Array.from({ length: 100 }, (_, i) => `exp-${Math.floor(Math.sqrt(i * 1.0))}`);

  it('never puts one group on both sides', () => {
    for (const seed of [0, 1, 2]) {
      const { train, test, testGroups } = groupTrainTestSplit(groups, { testSize: 0.2, seed });
      const trainGroups = new Set([...train].map((i) => groups[i]));
      for (const i of test) assert.ok(!trainGroups.has(groups[i]));
      assert.equal(testGroups.length, 2); // ceil(0.2 · 10)
      assert.equal(train.length + test.length, groups.length);
    }
  });

  it('group k-fold balances rows and keeps groups whole', () => {
    const folds = groupKFold(groups, 3);
    const sizes = folds.map((f) => f.test.length);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      100,
    );
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 19, `fold sizes ${sizes}`); // largest group has 19 rows
    for (const f of folds) {
      const tr = new Set([...f.train].map((i) => groups[i]));
      for (const i of f.test) assert.ok(!tr.has(groups[i]));
    }
    assert.throws(() => groupKFold(['a', 'b'], 3), /groups/);
  });
});

describe('time splits', () => {
  const times = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10];

  it('trains on the past and tests on the latest share', () => {
    const { train, test } = timeTrainTestSplit(times, { testSize: 0.3 });
    assert.deepEqual(
      [...test].map((i) => times[i]).sort((a, b) => a! - b!),
      [8, 9, 10],
    );
    assert.ok(Math.max(...[...train].map((i) => times[i]!)) < 8);
  });

  it('honours testFrom and a gap', () => {
    const { train, test } = timeTrainTestSplit(times, { testFrom: 7, gap: 2 });
    assert.deepEqual(
      [...test].map((i) => times[i]).sort((a, b) => a! - b!),
      [7, 8, 9, 10],
    );
    assert.deepEqual(
      [...train].map((i) => times[i]).sort((a, b) => a! - b!),
      [1, 2, 3, 4],
    );
  });

  it('keeps equal timestamps on one side', () => {
    const { train, test } = timeTrainTestSplit([1, 2, 2, 2, 3], { testSize: 0.5 });
    assert.deepEqual([...train], [0, 1, 2, 3]);
    assert.deepEqual([...test], [4]);
  });

  it('expanding windows like TimeSeriesSplit', () => {
    const splits = timeSeriesSplit(times, 3);
    assert.equal(splits.length, 3);
    splits.forEach((s, k) => {
      const maxTrain = Math.max(...[...s.train].map((i) => times[i]!));
      const minTest = Math.min(...[...s.test].map((i) => times[i]!));
      assert.ok(maxTrain < minTest);
      assert.equal(s.test.length, 2); // floor(10 / 4) rows per block, first train block 0..3
      assert.equal(s.train.length, 4 + 2 * k);
    });
  });
});

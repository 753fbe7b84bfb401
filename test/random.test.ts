import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../src/random.js';

test('the sfc32 stream is pinned: the committed tree models depend on it', () => {
  const r = new Random(0);
  assert.deepEqual([r.nextUint32(), r.nextUint32(), r.nextUint32()], [4205396811, 3543653536, 1222415357]);
  assert.deepEqual(Array.from(new Random(42).permutation(10)), [8, 3, 2, 1, 6, 4, 5, 0, 7, 9]);
});

test('same seed, same stream; floats lie in [0, 1) and open floats in (0, 1)', () => {
  const a = new Random(123);
  const b = new Random(123);
  for (let i = 0; i < 1000; i++) {
    const x = a.nextFloat();
    assert.equal(x, b.nextFloat());
    assert.ok(x >= 0 && x < 1);
    const o = a.nextOpenFloat();
    assert.equal(o, b.nextOpenFloat());
    assert.ok(o > 0 && o < 1);
  }
  assert.notEqual(new Random(1).nextUint32(), new Random(2).nextUint32());
});

test('nextInt stays in [0, n) and hits every value', () => {
  const r = new Random(7);
  const counts = new Int32Array(6);
  for (let i = 0; i < 6000; i++) {
    const v = r.nextInt(6);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 6);
    counts[v]!++;
  }
  for (const c of counts) assert.ok(c > 850 && c < 1150, `count ${c}`);
  assert.equal(r.nextInt(1), 0);
});

test('nextNormal has mean ≈ 0 and variance ≈ 1', () => {
  const r = new Random(5);
  const n = 20000;
  let sum = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const z = r.nextNormal();
    sum += z;
    ss += z * z;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(ss / n - mean * mean - 1) < 0.04, `variance ${ss / n}`);
});

test('permutation is reproducible, a permutation, and depends on the seed', () => {
  const a = new Random(9).permutation(50);
  assert.deepEqual(a, new Random(9).permutation(50));
  assert.deepEqual(
    Array.from(a).sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.notDeepEqual(a, new Random(10).permutation(50));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Reservoir, reservoirSample } from '../../../src/drift/sources/reservoir.js';

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

describe('seeded reservoir sampling', () => {
  it('gives the same sample for the same seed and stream', async () => {
    const a = await reservoirSample(range(100_000), 500, 7);
    const b = await reservoirSample(range(100_000), 500, 7);
    assert.deepEqual(a.values, b.values);
    assert.equal(a.seen, 100_000);
    assert.equal(a.sampled, true);
    const c = await reservoirSample(range(100_000), 500, 8);
    assert.notDeepEqual(a.values, c.values);
  });
  it('keeps everything when the stream is shorter than the reservoir', async () => {
    const s = await reservoirSample(range(10), 50, 1);
    assert.deepEqual(Array.from(s.values), [...range(10)]);
    assert.equal(s.sampled, false);
  });
  it('accepts async streams and holds distinct items of the stream', async () => {
    async function* source(): AsyncGenerator<number> {
      yield* range(5000);
    }
    const s = await reservoirSample(source(), 100, 3);
    assert.equal(new Set(s.values).size, 100);
    assert.ok(s.values.every((v) => v >= 0 && v < 5000 && Number.isInteger(v)));
  });
  it('is roughly uniform over positions', () => {
    // 2000 runs of k=10 from n=100: each decile should hold about 10% of the picks.
    const perDecile = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const r = new Reservoir(10, seed);
      r.addAll(range(100));
      for (const v of r.result().values) perDecile[Math.floor(v / 10)]++;
    }
    for (const count of perDecile) assert.ok(count > 1700 && count < 2300, `decile count ${count}`);
  });
  it('rejects a non-positive size', () => {
    assert.throws(() => new Reservoir(0, 1), /positive integer/);
  });
});

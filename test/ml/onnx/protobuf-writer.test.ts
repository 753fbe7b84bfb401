import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtoWriter } from '../../../src/ml/onnx/protobuf-writer.js';
import { floorToFloat32 } from '../../../src/ml/onnx/threshold-float32.js';
import { Random } from '../../../src/random.js';

const bytes = (w: ProtoWriter): number[] => [...w.finish()];

describe('protobuf writer', () => {
  it('encodes varints, strings, floats and packed fields as the protobuf spec examples', () => {
    assert.deepEqual(bytes(new ProtoWriter().int(1, 150)), [0x08, 0x96, 0x01]);
    assert.deepEqual(bytes(new ProtoWriter().string(2, 'testing')), [0x12, 0x07, ...Buffer.from('testing')]);
    assert.deepEqual(
      bytes(new ProtoWriter().packedInts(4, [3, 270, 86942])),
      [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05],
    );
    assert.deepEqual(bytes(new ProtoWriter().float(2, 1)), [0x15, 0x00, 0x00, 0x80, 0x3f]);
    assert.deepEqual(bytes(new ProtoWriter().int(1, -1)), [0x08, ...new Array(9).fill(0xff), 0x01]);
    assert.deepEqual(bytes(new ProtoWriter().int(1, 2 ** 40)), [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
  });

  it('nests messages length-delimited', () => {
    const w = new ProtoWriter().message(3, (m) => m.int(1, 150));
    assert.deepEqual(bytes(w), [0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});

describe('float32 thresholds', () => {
  it('rounds a midpoint down when nearest rounding would land on the upper value', () => {
    const a = 1 + 2 ** -23; // odd mantissa, so the midpoint ties to the even neighbour above
    const b = 1 + 2 ** -22;
    const t = a / 2 + b / 2;
    assert.equal(Math.fround(t), b);
    assert.equal(floorToFloat32(t), a);
  });

  it('gives the largest float32 <= t for random thresholds', () => {
    const rng = new Random(7);
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    for (let i = 0; i < 2000; i++) {
      const t = (rng.nextFloat() - 0.5) * 10 ** rng.nextInt(8);
      const f = floorToFloat32(t);
      assert.equal(Math.fround(f), f);
      assert.ok(f <= t);
      f32[0] = f;
      if (f >= 0) u32[0]! += 1;
      else u32[0]! -= 1;
      const up = f === 0 ? 1.401298464324817e-45 : f32[0];
      assert.ok(up > t, `next float32 above ${f} is ${up}, not above ${t}`);
    }
  });
});

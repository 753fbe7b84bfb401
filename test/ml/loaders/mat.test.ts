import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { decodeMat, matVariableEndingWith, readMatFile } from '../../../src/ml/loaders/mat.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';

/** Minimal little-endian Level 5 writer for fixtures: tag + body + padding to 8 bytes. */
function element(type: number, body: Uint8Array, pad = true): Uint8Array {
  const padded = pad ? Math.ceil(body.length / 8) * 8 : body.length;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function matrix(name: string, dims: number[], classCode: number, data: Uint8Array, dataType: number): Uint8Array {
  const flags = new Uint8Array(8);
  new DataView(flags.buffer).setUint32(0, classCode, true);
  return element(
    14,
    concat(
      element(6, flags),
      element(5, bytesOf(Int32Array.from(dims))),
      element(1, new TextEncoder().encode(name)),
      element(dataType, data),
    ),
  );
}

function header(text = 'MATLAB 5.0 MAT-file, smx test fixture'): Uint8Array {
  const h = new Uint8Array(128).fill(0x20);
  h.set(new TextEncoder().encode(text));
  h[124] = 0x00;
  h[125] = 0x01;
  h[126] = 0x49; // 'I'
  h[127] = 0x4d; // 'M'
  return h;
}

test('decodes doubles, int16-stored doubles, compressed elements, and skips char arrays', () => {
  const plain = matrix('a', [2, 3], 6, bytesOf(Float64Array.of(1, 2, 3, 4, 5, 6.5)), 9);
  const packed = matrix('b', [1, 3], 6, bytesOf(Int16Array.of(-7, 0, 300)), 3);
  const inner = matrix('c', [1, 2], 7, bytesOf(Float32Array.of(0.25, -1)), 7);
  const compressed = element(15, deflateSync(inner), false);
  const chars = matrix('label', [1, 2], 4, bytesOf(Uint16Array.of(104, 105)), 4);
  const file = decodeMat(concat(header(), plain, packed, compressed, chars), 'fixture.mat');
  assert.deepEqual([...file.variables.keys()], ['a', 'b', 'c']);
  assert.deepEqual(file.variables.get('a')!.dims, [2, 3]);
  assert.deepEqual(Array.from(file.variables.get('a')!.data), [1, 2, 3, 4, 5, 6.5]);
  assert.deepEqual(Array.from(file.variables.get('b')!.data), [-7, 0, 300]);
  assert.equal(file.variables.get('c')!.className, 'single');
  assert.deepEqual(Array.from(file.variables.get('c')!.data), [0.25, -1]);
  assert.deepEqual(file.skipped, [{ name: 'label', className: 'char' }]);
  assert.match(file.header, /^MATLAB 5\.0/);
});

test('malformed MAT-files are bad input naming the file', () => {
  assert.throws(() => decodeMat(new Uint8Array(10), 'tiny.mat'), {
    code: 'BAD_INPUT',
    message: /tiny\.mat.*128-byte header/,
  });
  assert.throws(() => decodeMat(header('MATLAB 7.3 MAT-file'), 'h5.mat'), {
    code: 'BAD_INPUT',
    message: /h5\.mat.*HDF5/,
  });
  assert.throws(() => decodeMat(header('hello'), 'x.mat'), { code: 'BAD_INPUT', message: /MATLAB 5\.0/ });
  const cut = concat(header(), matrix('a', [1, 4], 6, bytesOf(Float64Array.of(1, 2, 3, 4)), 9)).subarray(0, 180);
  assert.throws(() => decodeMat(cut, 'cut.mat'), { code: 'BAD_INPUT', message: /cut\.mat.*beyond the end/ });
  const broken = concat(header(), element(15, Uint8Array.of(1, 2, 3, 4), false));
  assert.throws(() => decodeMat(broken, 'z.mat'), { code: 'BAD_INPUT', message: /z\.mat.*inflated/ });
});

test(
  'real CWRU files: drive-end, fan-end and RPM variables with the documented lengths',
  { skip: skipWithoutShared() },
  async () => {
    const expected: [string, string, number][] = [
      ['normal_0_97.mat', 'X097', 243938],
      ['48k_Drive_End_IR007_0_109.mat', 'X109', 243938],
      ['48k_Drive_End_B007_0_122.mat', 'X122', 244739],
      ['48k_Drive_End_OR007@6_0_135.mat', 'X135', 243538],
    ];
    for (const [file, prefix, length] of expected) {
      const mat = await readMatFile(sharedPath('data', 'cwru_bearing', file));
      assert.deepEqual([...mat.variables.keys()].sort(), [`${prefix}RPM`, `${prefix}_DE_time`, `${prefix}_FE_time`]);
      const de = matVariableEndingWith(mat, '_DE_time');
      assert.deepEqual(de.dims, [length, 1]);
      assert.equal(de.data.length, length);
      assert.equal(mat.variables.get(`${prefix}RPM`)!.data[0], 1796);
    }
    // first drive-end sample of file 97, cross-checked with scipy.io.loadmat
    const normal = await readMatFile(sharedPath('data', 'cwru_bearing', 'normal_0_97.mat'));
    assert.equal(normal.variables.get('X097_DE_time')!.data[0], 0.05319692307692307);
  },
);

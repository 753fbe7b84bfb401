import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fftInPlace, hannWindow, nextPowerOfTwo, powerSpectrum, rfft } from '../../../src/ml/features/fft.js';
import { Random } from '../../../src/random.js';

/** O(N²) reference DFT of a zero-padded real signal. */
function naiveDft(x: ArrayLike<number>, size: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    for (let n = 0; n < x.length; n++) {
      const a = (-2 * Math.PI * k * n) / size;
      re[k] = (re[k] as number) + (x[n] as number) * Math.cos(a);
      im[k] = (im[k] as number) + (x[n] as number) * Math.sin(a);
    }
  }
  return { re, im };
}

function randomSignal(n: number, seed: number): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: n }, () => r.nextFloat() * 2 - 1);
}

test('nextPowerOfTwo rounds up', () => {
  assert.deepEqual([1, 2, 3, 5, 1000, 1024, 1025].map(nextPowerOfTwo), [1, 2, 4, 8, 1024, 1024, 2048]);
});

test('rfft matches a naive DFT on random input, with and without zero-padding', () => {
  for (const [n, seed] of [
    [2, 1],
    [8, 2],
    [64, 3],
    [100, 4],
    [257, 5],
    [1024, 6],
  ] as const) {
    const x = randomSignal(n, seed);
    const { re, im, size } = rfft(x);
    assert.equal(size, nextPowerOfTwo(Math.max(2, n)));
    const ref = naiveDft(x, size);
    for (let k = 0; k <= size / 2; k++) {
      assert.ok(Math.abs((re[k] as number) - (ref.re[k] as number)) < 1e-9, `n=${n} re[${k}]`);
      assert.ok(Math.abs((im[k] as number) - (ref.im[k] as number)) < 1e-9, `n=${n} im[${k}]`);
    }
  }
});

test('complex fftInPlace matches the naive DFT of a complex signal', () => {
  const n = 32;
  const re = randomSignal(n, 11);
  const im = randomSignal(n, 12);
  const expRe = new Float64Array(n);
  const expIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      expRe[k] = (expRe[k] as number) + (re[t] as number) * Math.cos(a) - (im[t] as number) * Math.sin(a);
      expIm[k] = (expIm[k] as number) + (re[t] as number) * Math.sin(a) + (im[t] as number) * Math.cos(a);
    }
  }
  fftInPlace(re, im);
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs((re[k] as number) - (expRe[k] as number)) < 1e-10);
    assert.ok(Math.abs((im[k] as number) - (expIm[k] as number)) < 1e-10);
  }
});

test('rfft rejects a size that is not a power of two or is too small', () => {
  assert.throws(() => rfft(new Float64Array(10), { size: 12 }), RangeError);
  assert.throws(() => rfft(new Float64Array(10), { size: 8 }), RangeError);
});

test('power spectrum sums to the mean square (Parseval), zero-padding included', () => {
  const x = randomSignal(300, 21);
  const meanSquare = x.reduce((a, v) => a + v * v, 0) / x.length;
  for (const size of [512, 2048]) {
    const { power, binHz } = powerSpectrum(x, 1000, { size });
    assert.ok(Math.abs(power.reduce((a, b) => a + b, 0) - meanSquare) < 1e-12);
    assert.equal(binHz, 1000 / size);
  }
});

test('Hann window is the periodic one and the windowed power stays close to the mean square of a sine', () => {
  const w = hannWindow(8);
  assert.equal(w[0], 0);
  assert.ok(Math.abs((w[4] as number) - 1) < 1e-15);
  assert.ok(Math.abs((w[2] as number) - 0.5) < 1e-15);
  const x = Float64Array.from({ length: 4096 }, (_, n) => 2 * Math.sin((2 * Math.PI * 123.4 * n) / 4096));
  const total = powerSpectrum(x, 4096, { hann: true }).power.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 2) < 0.01, `total ${total}`);
});

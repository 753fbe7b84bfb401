import assert from 'node:assert/strict';
import { test } from 'node:test';
import { column, columnByName } from '../../../src/ml/features/feature-matrix.js';
import { spectralFeatures } from '../../../src/ml/features/spectral-features.js';
import { timeFeatures } from '../../../src/ml/features/time-features.js';
import { vibrationFeatures, windowStarts } from '../../../src/ml/features/vibration.js';

const close = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

function sine(amplitude: number, hz: number, sampleRate: number, n: number, phase = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + phase));
}

test('sine over whole periods: RMS A/√2, peak A, crest √2, Fisher kurtosis −1.5, skewness 0', () => {
  const A = 3;
  const t = timeFeatures(sine(A, 50, 1000, 1000, 0.3));
  close(t.rms, A / Math.SQRT2, 1e-12, 'rms');
  close(t.mean, 0, 1e-12, 'mean');
  close(t.std, A / Math.SQRT2, 1e-12, 'std');
  close(t.peak, A, 1e-3, 'peak');
  close(t.peak_to_peak, 2 * A, 2e-3, 'p2p');
  close(t.crest_factor, Math.SQRT2, 1e-3, 'crest');
  close(t.kurtosis, -1.5, 1e-9, 'kurtosis');
  close(t.skewness, 0, 1e-9, 'skewness');
  // mean |x| of a sine is 2A/π (needs dense sampling): shape factor π/(2√2), impulse factor π/2
  const dense = timeFeatures(sine(A, 1, 20000, 20000, 0.3));
  close(dense.shape_factor, Math.PI / (2 * Math.SQRT2), 1e-6, 'shape');
  close(dense.impulse_factor, Math.PI / 2, 1e-6, 'impulse');
});

test('kurtosis and skewness match scipy.stats (Fisher, biased) on a small vector', () => {
  const t = timeFeatures([1, 2, 3, 4, 10]);
  close(t.kurtosis, -0.21199999999999974, 1e-12, 'scipy.stats.kurtosis');
  close(t.skewness, 1.1384199576606167, 1e-12, 'scipy.stats.skew');
});

test('single impulse: moments of a scaled Bernoulli, clearance and impulse factors by hand', () => {
  const N = 100;
  const a = 5;
  const x = new Float64Array(N);
  x[37] = a;
  const t = timeFeatures(x);
  const p = 1 / N;
  const pq = p * (1 - p);
  close(t.kurtosis, (1 - 6 * pq) / pq, 1e-9, 'kurtosis');
  close(t.skewness, (1 - 2 * p) / Math.sqrt(pq), 1e-9, 'skewness');
  close(t.rms, a / Math.sqrt(N), 1e-12, 'rms');
  close(t.crest_factor, Math.sqrt(N), 1e-9, 'crest');
  close(t.impulse_factor, N, 1e-9, 'impulse'); // peak / mean|x| = a / (a/N)
  close(t.clearance_factor, N * N, 1e-6, 'clearance'); // a / (√a/N)² = N²
  close(t.shape_factor, Math.sqrt(N), 1e-9, 'shape');
});

test('constant and all-zero windows give finite features (kurtosis and skewness 0, ratios 0)', () => {
  const c = timeFeatures(new Float64Array(64).fill(2.5));
  assert.equal(c.kurtosis, 0);
  assert.equal(c.skewness, 0);
  assert.equal(c.std, 0);
  close(c.crest_factor, 1, 1e-12, 'constant crest');
  const z = timeFeatures(new Float64Array(64));
  for (const [name, v] of Object.entries(z)) assert.equal(v, 0, name);
});

test('dominant frequency of a 50 Hz sine at 1 kHz is 50 Hz within one bin, and ignores a DC offset', () => {
  const x = sine(1, 50, 1000, 1000).map((v) => v + 10);
  const s = spectralFeatures(x, { sampleRate: 1000 });
  const binHz = 1000 / 1024;
  assert.ok(Math.abs(s.dominantFrequency - 50) <= binHz, `dominant ${s.dominantFrequency}`);
});

test('band energies without a window sum to the variance and land in the right band', () => {
  const x = Float64Array.from(sine(2, 300, 4096, 4096), (v, i) => v + sine(1, 1500, 4096, 4096)[i]!);
  const s = spectralFeatures(x, { sampleRate: 4096, bands: 4, hann: false });
  const total = s.bandEnergies.reduce((a, b) => a + b, 0);
  close(total, 2 + 0.5, 1e-9, 'total power');
  close(s.bandEnergies[0]!, 2, 1e-9, '0–512 Hz band');
  close(s.bandEnergies[2]!, 0.5, 1e-9, '1024–1536 Hz band');
  close(s.spectralCentroid, (300 * 2 + 1500 * 0.5) / 2.5, 1e-6, 'centroid');
  const explicit = spectralFeatures(x, {
    sampleRate: 4096,
    bands: [
      { lo: 250, hi: 350 },
      { lo: 0, hi: 100 },
    ],
    hann: false,
  });
  close(explicit.bandEnergies[0]!, 2, 1e-9, 'explicit band');
  close(explicit.bandEnergies[1]!, 0, 1e-9, 'empty band');
});

test('windowing drops the trailing partial window and vibrationFeatures returns one row per window', () => {
  assert.deepEqual(Array.from(windowStarts(10, 4, 3)), [0, 3, 6]);
  assert.equal(windowStarts(3, 4, 1).length, 0);
  const x = sine(1, 50, 1000, 5000);
  const m = vibrationFeatures(x, { windowSize: 1024, hop: 512, sampleRate: 1000, bands: 5 });
  assert.equal(m.rows, 8);
  assert.equal(m.featureNames.length, 11 + 5 + 2);
  assert.equal(m.data.length, m.rows * m.featureNames.length);
  assert.deepEqual(m.featureNames.slice(11, 13), ['band_0_100hz', 'band_100_200hz']);
  for (const v of column(m, m.featureNames.indexOf('dominant_frequency'))) assert.ok(Math.abs(v - 50) <= 1000 / 1024);
  for (const v of columnByName(m, 'rms')) close(v, Math.SQRT1_2, 0.01, 'rms per window');
  const timeOnly = vibrationFeatures(x, { windowSize: 1000 });
  assert.equal(timeOnly.rows, 5);
  assert.equal(timeOnly.featureNames.length, 11);
});

test('invalid window parameters are bad input', () => {
  assert.throws(() => vibrationFeatures(new Float64Array(10), { windowSize: 0 }), { code: 'BAD_INPUT' });
  assert.throws(() => vibrationFeatures(new Float64Array(10), { windowSize: 4, hop: 1.5 }), { code: 'BAD_INPUT' });
  assert.throws(() => vibrationFeatures(new Float64Array(10), { windowSize: 4, sampleRate: 0 }), { code: 'BAD_INPUT' });
});

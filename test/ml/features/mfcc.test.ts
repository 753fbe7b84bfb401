import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deltaFrames, frameStarts, mfccFeatureNames, mfccFrames, mfccSummary } from '../../../src/ml/features/mfcc.js';
import { Random } from '../../../src/random.js';
import { readWavFile, selectChannel } from '../../../src/ml/loaders/wav.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';

function hum(seconds: number, sampleRate: number, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: seconds * sampleRate }, (_, i) => {
    const t = i / sampleRate;
    return 0.3 * Math.sin(2 * Math.PI * 120 * t) + 0.1 * Math.sin(2 * Math.PI * 240 * t) + 0.05 * (r.nextFloat() - 0.5);
  });
}

test('frame starts cover the clip: full frames every hop plus one end-aligned frame, no zero padding', () => {
  assert.deepEqual(frameStarts(4096, 1024, 512), [0, 512, 1024, 1536, 2048, 2560, 3072]);
  assert.deepEqual(frameStarts(4000, 1024, 512), [0, 512, 1024, 1536, 2048, 2560, 2976]);
  assert.deepEqual(frameStarts(100, 1024, 512), [0]);
});

test('MFCC summary has 2 × coefficients values (4 × with deltas) and is deterministic', () => {
  const clip = hum(2, 16000, 1);
  const options = { sampleRate: 16000, frameSize: 1024, hop: 512, coefficients: 13, deltas: true };
  const a = mfccSummary(clip, options);
  const b = mfccSummary(clip, options);
  assert.equal(a.values.length, 52);
  assert.deepEqual(a.featureNames, mfccFeatureNames(options));
  assert.equal(a.featureNames[13], 'mfcc0_std');
  assert.equal(a.featureNames[26], 'delta0_mean');
  assert.equal(a.frames, frameStarts(clip.length, 1024, 512).length);
  assert.deepEqual(a.values, b.values);
  for (const v of a.values) assert.ok(Number.isFinite(v));
  const few = mfccSummary(clip, { sampleRate: 16000, frameSize: 512, coefficients: 8 });
  assert.equal(few.values.length, 16);
});

test('changing the frame size between calls gives the same result as a fresh configuration', () => {
  const clip = hum(1, 16000, 2);
  const first = mfccSummary(clip, { sampleRate: 16000, frameSize: 512 });
  mfccSummary(clip, { sampleRate: 8000, frameSize: 2048, coefficients: 20 });
  const again = mfccSummary(clip, { sampleRate: 16000, frameSize: 512 });
  assert.deepEqual(first.values, again.values);
});

test('different sounds give different MFCC vectors; a steady tone has near-zero deltas', () => {
  const tone = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
  const frames = mfccFrames(tone, { sampleRate: 16000, frameSize: 1024, hop: 1024 });
  const deltas = deltaFrames(frames);
  for (const v of deltas.values) assert.ok(Math.abs(v) < 1e-3, `delta ${v}`);
  const other = mfccSummary(hum(1, 16000, 3), { sampleRate: 16000 });
  const toneSummary = mfccSummary(tone, { sampleRate: 16000 });
  assert.notDeepEqual(other.values, toneSummary.values);
});

test('frame size must be a power of two and coefficients within Meyda limits', () => {
  const clip = hum(1, 8000, 4);
  assert.throws(() => mfccSummary(clip, { sampleRate: 8000, frameSize: 1000 }), {
    code: 'BAD_INPUT',
    message: /power of two/,
  });
  assert.throws(() => mfccSummary(clip, { sampleRate: 8000, coefficients: 41 }), { code: 'BAD_INPUT' });
  assert.throws(() => mfccSummary(new Float32Array(0), { sampleRate: 8000 }), { code: 'BAD_INPUT' });
});

test(
  'real DCASE clip: 10 s at 16 kHz gives 312 frames of 1024/512 and a finite vector',
  { skip: skipWithoutShared() },
  async () => {
    const wav = await readWavFile(sharedPath('data', 'dcase2020_task2_subset', 'train', 'normal_id_00_00000000.wav'));
    const s = mfccSummary(selectChannel(wav), {
      sampleRate: wav.sampleRate,
      frameSize: 1024,
      hop: 512,
      coefficients: 13,
      deltas: true,
    });
    assert.equal(s.frames, 312);
    assert.equal(s.values.length, 52);
    for (const v of s.values) assert.ok(Number.isFinite(v));
  },
);

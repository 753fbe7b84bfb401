import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { encodeWav } from '../../../src/ml/loaders/wav-encode.js';
import { decodeWav, readWavFile, selectChannel } from '../../../src/ml/loaders/wav.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';

const dir = await mkdtemp(path.join(tmpdir(), 'smx-wav-'));
after(() => rm(dir, { recursive: true, force: true }));

const frames = 1000;
const left = Float32Array.from({ length: frames }, (_, i) => 0.8 * Math.sin((2 * Math.PI * 440 * i) / 16000));
const right = Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.cos((2 * Math.PI * 50 * i) / 16000) - 0.2);

function maxError(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

for (const [bits, encoding, tolerance] of [
  [8, 'pcm', 1 / 128],
  [16, 'pcm', 1 / 32768],
  [24, 'pcm', 1 / 8388608],
  [32, 'pcm', 1e-7],
  [32, 'float', 0],
] as const) {
  test(`round trip: ${bits}-bit ${encoding}, stereo, through a file`, async () => {
    const file = path.join(dir, `t${bits}${encoding}.wav`);
    await writeFile(file, encodeWav([left, right], { sampleRate: 16000, bitsPerSample: bits, encoding }));
    const wav = await readWavFile(file);
    assert.equal(wav.sampleRate, 16000);
    assert.equal(wav.channels, 2);
    assert.equal(wav.frames, frames);
    assert.equal(wav.bitsPerSample, bits);
    assert.equal(wav.encoding, encoding);
    assert.ok(maxError(wav.channelData[0]!, left) <= tolerance, `left error ${maxError(wav.channelData[0]!, left)}`);
    assert.ok(maxError(wav.channelData[1]!, right) <= tolerance);
    const mix = selectChannel(wav, 'mix');
    assert.ok(Math.abs(mix[10]! - (left[10]! + right[10]!) / 2) <= tolerance + 1e-7);
    assert.equal(selectChannel(wav, 1), wav.channelData[1]);
  });
}

test('extreme 16-bit values decode to −1 and 32767/32768', () => {
  const wav = decodeWav(encodeWav([Float32Array.of(-1, 1, 0)], { sampleRate: 8000, bitsPerSample: 16 }));
  assert.deepEqual(Array.from(wav.channelData[0]!), [-1, 32767 / 32768, 0]);
});

test('unknown chunks before data are skipped, odd-sized chunks padded', () => {
  const plain = encodeWav([Float32Array.of(0.5, -0.5)], { sampleRate: 8000, bitsPerSample: 16 });
  const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
  const bytes = new Uint8Array(plain.length + list.length);
  bytes.set(plain.subarray(0, 36));
  bytes.set(list, 36);
  bytes.set(plain.subarray(36), 36 + list.length);
  const wav = decodeWav(bytes);
  assert.deepEqual(Array.from(wav.channelData[0]!), [0.5, -0.5]);
});

test('malformed files raise bad input naming the file and the reason', async () => {
  const good = encodeWav([left], { sampleRate: 16000, bitsPerSample: 16 });
  const cases: [string, Uint8Array, RegExp][] = [
    ['short.wav', good.subarray(0, 8), /shorter than a RIFF header/],
    ['notriff.wav', Uint8Array.from(good, (b, i) => (i === 0 ? 0x58 : b)), /not "RIFF"/],
    ['truncated.wav', good.subarray(0, 500), /truncated/],
    ['nodata.wav', good.subarray(0, 36), /no data chunk/],
  ];
  const adpcm = Uint8Array.from(good);
  new DataView(adpcm.buffer).setUint16(20, 2, true);
  cases.push(['adpcm.wav', adpcm, /format tag 2/]);
  const odd = Uint8Array.from(good);
  new DataView(odd.buffer).setUint16(34, 12, true);
  cases.push(['12bit.wav', odd, /12-bit pcm samples are not supported/]);
  for (const [name, bytes, reason] of cases) {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    await assert.rejects(readWavFile(file), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'BAD_INPUT');
      assert.match(error.message, new RegExp(name.replace('.', '\\.')));
      assert.match(error.message, reason);
      return true;
    });
  }
  await assert.rejects(readWavFile(path.join(dir, 'missing.wav')), { code: 'BAD_INPUT', message: /missing\.wav/ });
  assert.throws(() => selectChannel(decodeWav(good), 3), { code: 'BAD_INPUT', message: /1 channel/ });
});

test('real DCASE 2020 clips: mono, 16 kHz, 16-bit, 10 s', { skip: skipWithoutShared() }, async () => {
  for (const file of ['train/normal_id_00_00000000.wav', 'test/anomaly_id_00_00000000.wav']) {
    const wav = await readWavFile(sharedPath('data', 'dcase2020_task2_subset', ...file.split('/')));
    assert.equal(wav.channels, 1);
    assert.equal(wav.sampleRate, 16000);
    assert.equal(wav.bitsPerSample, 16);
    assert.equal(wav.frames, 160000);
  }
});

test('real MIMII clips: WAVE_FORMAT_EXTENSIBLE, 8 channels, 16 kHz, 10 s', { skip: skipWithoutShared() }, async () => {
  const wav = await readWavFile(sharedPath('data', 'mimii_audio', 'wav', 'pump_normal.wav'));
  assert.equal(wav.channels, 8);
  assert.equal(wav.sampleRate, 16000);
  assert.equal(wav.encoding, 'pcm');
  assert.equal(wav.frames, 160000);
  // first samples cross-checked with scipy.io.wavfile: int16 2, −39 on channel 0
  assert.equal(wav.channelData[0]![0], 2 / 32768);
  assert.equal(wav.channelData[0]![1], -39 / 32768);
  assert.equal(selectChannel(wav, 'mix').length, 160000);
});

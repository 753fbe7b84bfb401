// Feature-extraction and forecaster throughput. Run after `npx tsc -p .`:
//   node bench/features-throughput.mjs
// Prints one JSON line per figure, each with the baseline measured in the same run.
// Uses the real CWRU and DCASE files from ../shared/data when present, else
// synthetic signals of the same length (marked "synthetic": true).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', 'src', p));
const { rfft } = await dist('ml/features/fft.js');
const { vibrationFeatures } = await dist('ml/features/vibration.js');
const { mfccSummary } = await dist('ml/features/mfcc.js');
const { readMatFile, matVariableEndingWith } = await dist('ml/loaders/mat.js');
const { readWavFile, selectChannel } = await dist('ml/loaders/wav.js');
const { evaluateForecaster } = await dist('ml/forecast/evaluate-forecast.js');

const shared = process.env.SMX_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const emit = (o) => console.log(JSON.stringify(o));
function best(fn, repeats = 5) {
  let min = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}
function noise(n, seed = 1) {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

// 1. FFT: rfft of 2048 points vs an O(N²) DFT of 256 points scaled by (2048/256)² (the DFT's cost).
{
  const x = noise(2048);
  const fftMs =
    best(() => {
      for (let i = 0; i < 100; i++) rfft(x);
    }) / 100;
  const small = noise(256);
  const dftMs =
    best(() => {
      for (let k = 0; k <= 128; k++) {
        let re = 0,
          im = 0;
        for (let n = 0; n < 256; n++) {
          const a = (-2 * Math.PI * k * n) / 256;
          re += small[n] * Math.cos(a);
          im += small[n] * Math.sin(a);
        }
      }
    }) * 64;
  emit({
    figure: 'rfft_2048_ms',
    value: +fftMs.toFixed(4),
    baseline: 'naive one-sided DFT 2048 (extrapolated from 256)',
    baselineValue: +dftMs.toFixed(2),
  });
}

// 2. Vibration features on a CWRU drive-end record (≈244k samples, 48 kHz).
{
  const file = path.join(shared, 'data', 'cwru_bearing', 'normal_0_97.mat');
  const real = existsSync(file);
  const signal = real ? matVariableEndingWith(await readMatFile(file), '_DE_time').data : noise(243938);
  const timeOnly = best(() => vibrationFeatures(signal, { windowSize: 2048 }));
  const full = best(() => vibrationFeatures(signal, { windowSize: 2048, sampleRate: 48000, bands: 8 }));
  emit({
    figure: 'vibration_features_ms',
    samples: signal.length,
    windows: Math.floor(signal.length / 2048),
    value: +full.toFixed(2),
    baseline: 'time-domain features only',
    baselineValue: +timeOnly.toFixed(2),
    synthetic: !real,
  });
}

// 3. MFCC summary (13 coefficients + deltas, 1024/512) of a 10 s 16 kHz clip vs the clip's duration.
{
  const file = path.join(shared, 'data', 'dcase2020_task2_subset', 'train', 'normal_id_00_00000000.wav');
  const real = existsSync(file);
  const clip = real ? selectChannel(await readWavFile(file)) : Float32Array.from(noise(160000), (v) => v * 0.01);
  const ms = best(
    () => mfccSummary(clip, { sampleRate: 16000, frameSize: 1024, hop: 512, coefficients: 13, deltas: true }),
    3,
  );
  emit({
    figure: 'mfcc_10s_clip_ms',
    value: +ms.toFixed(1),
    baseline: 'clip duration (real time)',
    baselineValue: 10000,
    synthetic: !real,
  });
}

// 4. MLP forecaster: fit + evaluate on 3000 points (season 24) vs the naive baseline's error.
{
  let s = 3;
  const y = Float64Array.from(
    { length: 3000 },
    (_, t) =>
      10 +
      3 * Math.sin((2 * Math.PI * t) / 24) +
      0.002 * t +
      0.2 * ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5),
  );
  const t0 = performance.now();
  const r = await evaluateForecaster(y, { season: 24, config: { seed: 1 } });
  emit({
    figure: 'forecaster_fit_eval_ms',
    points: 3000,
    value: Math.round(performance.now() - t0),
    epochs: r.epochsRun,
    synthetic: true,
  });
  emit({
    figure: 'forecaster_test_mae',
    value: +r.model.mae.toFixed(4),
    baseline: 'naive',
    baselineValue: +r.naive.mae.toFixed(4),
    seasonalNaive: +r.seasonalNaive.mae.toFixed(4),
    synthetic: true,
  });
}

import { inputError } from '../../errors.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { powerSpectrum } from './fft.js';
import { bandName, resolveBands, spectralFeaturesOf, spectralInput, type BandSpec } from './spectral-features.js';
import { timeFeatureNames, timeFeatures } from './time-features.js';

/**
 * Windowed vibration features: the signal is cut into windows of `windowSize`
 * samples every `hop` samples (a trailing partial window is dropped, so every
 * row describes the same amount of signal), and each window yields the time
 * features of time-features.ts followed, when `sampleRate` is given, by band
 * energies, spectral centroid and dominant frequency (spectral-features.ts).
 *
 * Example: 48 kHz CWRU drive-end signal, 2048-sample windows, no overlap, 8 bands:
 *   vibrationFeatures(signal, { windowSize: 2048, hop: 2048, sampleRate: 48000, bands: 8 })
 */
export interface VibrationOptions {
  windowSize: number;
  /** Step between window starts; default windowSize (no overlap). */
  hop?: number;
  /** Needed for the frequency-domain features; without it only time features are returned. */
  sampleRate?: number;
  /** `n` equal bands up to Nyquist or explicit Hz ranges; default 8. */
  bands?: number | BandSpec[];
  /** Hann window before the FFT; default true. */
  hann?: boolean;
  /** Remove each window's mean before the FFT; default true (see spectral-features.ts). */
  removeMean?: boolean;
}

export interface VibrationFeatures extends FeatureMatrix {
  /** Sample index where each row's window starts. */
  windowStarts: Int32Array;
}

/** Start indices of the full windows of a signal of length n. */
export function windowStarts(n: number, windowSize: number, hop: number): Int32Array {
  if (!Number.isInteger(windowSize) || windowSize < 1)
    throw inputError(`window size must be a positive integer, got ${windowSize}`);
  if (!Number.isInteger(hop) || hop < 1) throw inputError(`hop must be a positive integer, got ${hop}`);
  const count = n >= windowSize ? Math.floor((n - windowSize) / hop) + 1 : 0;
  const starts = new Int32Array(count);
  for (let w = 0; w < count; w++) starts[w] = w * hop;
  return starts;
}

export function vibrationFeatureNames(options: VibrationOptions): string[] {
  const names: string[] = [...timeFeatureNames];
  if (options.sampleRate !== undefined) {
    for (const band of resolveBands(options.bands, options.sampleRate)) names.push(bandName(band));
    names.push('spectral_centroid', 'dominant_frequency');
  }
  return names;
}

export function vibrationFeatures(signal: ArrayLike<number>, options: VibrationOptions): VibrationFeatures {
  const hop = options.hop ?? options.windowSize;
  const starts = windowStarts(signal.length, options.windowSize, hop);
  if (options.sampleRate !== undefined && !(options.sampleRate > 0)) {
    throw inputError(`sample rate must be positive, got ${options.sampleRate}`);
  }
  const featureNames = vibrationFeatureNames(options);
  const rows = starts.length;
  const data = new Float64Array(rows * featureNames.length);
  const bands = options.sampleRate !== undefined ? resolveBands(options.bands, options.sampleRate) : [];
  const window = new Float64Array(options.windowSize);
  for (let r = 0; r < rows; r++) {
    const start = starts[r] as number;
    for (let i = 0; i < window.length; i++) window[i] = signal[start + i] as number;
    const t = timeFeatures(window);
    let j = 0;
    for (const name of timeFeatureNames) data[j++ * rows + r] = t[name];
    if (options.sampleRate !== undefined) {
      const input = spectralInput(window, 0, window.length, options.removeMean ?? true);
      const spectrum = powerSpectrum(input, options.sampleRate, { hann: options.hann ?? true });
      const s = spectralFeaturesOf(spectrum, bands);
      for (const e of s.bandEnergies) data[j++ * rows + r] = e;
      data[j++ * rows + r] = s.spectralCentroid;
      data[j++ * rows + r] = s.dominantFrequency;
    }
  }
  return { featureNames, rows, data, windowStarts: starts };
}

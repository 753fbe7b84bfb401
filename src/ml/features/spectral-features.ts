import { powerSpectrum, type PowerSpectrum } from './fft.js';

/**
 * Frequency-domain indicators from the one-sided power spectrum of fft.ts.
 * The window's mean is removed first (`removeMean`, default true): an
 * accelerometer's DC offset is not vibration, and with a Hann window it would
 * leak into the lowest bins and swamp them. The bins then sum to ≈ the window's
 * variance (std²; exactly so without the Hann window).
 *
 * - Band energy = sum of bin powers whose centre frequency f satisfies lo ≤ f < hi
 *   (the last band also takes f = hi, so equal bands up to Nyquist cover every bin).
 * - Spectral centroid = Σ f·P / Σ P in Hz (0 for a silent window).
 * - Dominant frequency = centre of the strongest bin, skipping DC (bin 0) so a
 *   sensor offset never wins; resolution is sampleRate / fftSize.
 */
export interface BandSpec {
  /** Inclusive lower edge in Hz. */
  lo: number;
  /** Exclusive upper edge in Hz (inclusive for the last band). */
  hi: number;
}

export interface SpectralOptions {
  sampleRate: number;
  /** `n` equal-width bands from 0 Hz to Nyquist, or explicit Hz ranges. Default 8 equal bands. */
  bands?: number | BandSpec[];
  /** Apply a periodic Hann window before the FFT (default true: limits leakage between bands). */
  hann?: boolean;
  /** Subtract the window mean before the FFT (default true). */
  removeMean?: boolean;
}

/** Copy of x[start, end), minus its mean when asked: the input to the spectrum. */
export function spectralInput(x: ArrayLike<number>, start: number, end: number, removeMean = true): Float64Array {
  const window = new Float64Array(end - start);
  let sum = 0;
  for (let i = 0; i < window.length; i++) sum += window[i] = x[start + i] as number;
  if (removeMean && window.length > 0) {
    const mean = sum / window.length;
    for (let i = 0; i < window.length; i++) window[i] = (window[i] as number) - mean;
  }
  return window;
}

export function resolveBands(bands: number | BandSpec[] | undefined, sampleRate: number): BandSpec[] {
  const nyquist = sampleRate / 2;
  if (Array.isArray(bands)) {
    for (const b of bands) {
      if (!(b.lo >= 0 && b.hi > b.lo)) throw new RangeError(`band [${b.lo}, ${b.hi}) Hz is empty or negative`);
    }
    return bands;
  }
  const n = bands ?? 8;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`band count must be a positive integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => ({ lo: (i * nyquist) / n, hi: ((i + 1) * nyquist) / n }));
}

export function bandName(band: BandSpec): string {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  return `band_${fmt(band.lo)}_${fmt(band.hi)}hz`;
}

export interface SpectralFeatures {
  bandEnergies: Float64Array;
  spectralCentroid: number;
  dominantFrequency: number;
}

/** Spectral features of an already computed power spectrum. */
export function spectralFeaturesOf(spectrum: PowerSpectrum, bands: BandSpec[]): SpectralFeatures {
  const { power, binHz } = spectrum;
  const bandEnergies = new Float64Array(bands.length);
  let total = 0;
  let weighted = 0;
  let best = -1;
  let bestPower = -Infinity;
  for (let k = 0; k < power.length; k++) {
    const p = power[k] as number;
    const f = k * binHz;
    total += p;
    weighted += f * p;
    if (k > 0 && p > bestPower) {
      bestPower = p;
      best = k;
    }
    for (let b = 0; b < bands.length; b++) {
      const band = bands[b] as BandSpec;
      const last = b === bands.length - 1;
      if (f >= band.lo && (f < band.hi || (last && f === band.hi))) {
        bandEnergies[b] = (bandEnergies[b] as number) + p;
      }
    }
  }
  return {
    bandEnergies,
    spectralCentroid: total > 0 ? weighted / total : 0,
    dominantFrequency: best > 0 && bestPower > 0 ? best * binHz : 0,
  };
}

/** Spectral features of x[start, end). */
export function spectralFeatures(
  x: ArrayLike<number>,
  options: SpectralOptions,
  start = 0,
  end: number = x.length,
): SpectralFeatures {
  const window = spectralInput(x, start, end, options.removeMean ?? true);
  const spectrum = powerSpectrum(window, options.sampleRate, { hann: options.hann ?? true });
  return spectralFeaturesOf(spectrum, resolveBands(options.bands, options.sampleRate));
}

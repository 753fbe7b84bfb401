import Meyda from 'meyda';
import { inputError } from '../../errors.js';
import { isPowerOfTwo } from './fft.js';

/**
 * MFCC summary of a sound clip (Meyda 5): the clip is cut into frames of
 * `frameSize` samples every `hop` samples; each frame gives `coefficients` MFCCs
 * (Hann window, `melBands` triangular mel filters from 0 Hz to Nyquist, log(1+E),
 * DCT-II); the clip becomes the mean and population std of each coefficient over
 * frames, plus the same for the deltas when asked. A clip of any length thus
 * becomes one fixed-length vector, ready for a classifier or an isolation forest.
 *
 * Frames: Meyda only takes power-of-two buffers, so frameSize must be one. Frames
 * start at 0, hop, 2·hop, …; if the last full frame stops short of the end, one
 * more frame aligned to the end of the clip is added (no zero-padding, so no
 * artificially quiet frame, and no samples are ignored). A clip shorter than one
 * frame is zero-padded to a single frame.
 *
 * Deltas use the usual regression over ±2 frames (as HTK/librosa with width 5),
 * with the edge frames repeated.
 *
 * Note: Meyda's log(1 + mel energy) makes MFCCs depend on the signal's scale;
 * WAV samples in [−1, 1) give small energies, so `inputScale` (default 1) lets a
 * pipeline fix a gain; keep it constant between training and scoring.
 */
export interface MfccOptions {
  sampleRate: number;
  frameSize?: number;
  hop?: number;
  coefficients?: number;
  melBands?: number;
  deltas?: boolean;
  inputScale?: number;
}

export interface MfccFrames {
  /** frames × coefficients, row-major. */
  values: Float64Array;
  frames: number;
  coefficients: number;
}

interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  melFilterBank?: unknown;
  barkScale?: unknown;
  chromaFilterBank?: unknown;
  extract(feature: 'mfcc', signal: Float32Array): number[] | null;
}

// Meyda ships CommonJS (`module.exports = Meyda`) with ESM-flavoured typings, so
// TypeScript sees `{ default: Meyda }` while Node hands over Meyda itself; accept both.
const meyda: MeydaLike = ((Meyda as unknown as { default?: MeydaLike }).default ?? Meyda) as unknown as MeydaLike;
let meydaConfig = '';

/**
 * Meyda keeps its configuration and filter banks on one shared object and only
 * rebuilds the mel bank when the band count changes (not when the buffer size or
 * sample rate do), so reset the cached banks whenever our configuration changes.
 */
function configureMeyda(frameSize: number, sampleRate: number, melBands: number, coefficients: number): void {
  const key = `${frameSize}/${sampleRate}/${melBands}/${coefficients}`;
  if (key === meydaConfig) return;
  meyda.bufferSize = frameSize;
  meyda.sampleRate = sampleRate;
  meyda.melBands = melBands;
  meyda.numberOfMFCCCoefficients = coefficients;
  meyda.windowingFunction = 'hanning';
  meyda.melFilterBank = undefined;
  meyda.barkScale = undefined;
  meyda.chromaFilterBank = undefined;
  meydaConfig = key;
}

/** Start indices of the analysis frames (see the module comment for the tail rule). */
export function frameStarts(length: number, frameSize: number, hop: number): number[] {
  if (length <= frameSize) return [0];
  const starts: number[] = [];
  for (let s = 0; s + frameSize <= length; s += hop) starts.push(s);
  const last = starts[starts.length - 1] as number;
  if (last + frameSize < length) starts.push(length - frameSize);
  return starts;
}

export function mfccFrames(signal: ArrayLike<number>, options: MfccOptions): MfccFrames {
  const frameSize = options.frameSize ?? 1024;
  const hop = options.hop ?? frameSize / 2;
  const coefficients = options.coefficients ?? 13;
  const melBands = options.melBands ?? Math.max(26, coefficients);
  const scale = options.inputScale ?? 1;
  if (!isPowerOfTwo(frameSize)) throw inputError(`MFCC frame size must be a power of two (Meyda), got ${frameSize}`);
  if (!Number.isInteger(hop) || hop < 1) throw inputError(`MFCC hop must be a positive integer, got ${hop}`);
  if (!Number.isInteger(coefficients) || coefficients < 1 || coefficients > 40) {
    throw inputError(`MFCC coefficient count must be 1..40 (Meyda's limit), got ${coefficients}`);
  }
  if (melBands < coefficients) throw inputError(`melBands (${melBands}) must be ≥ coefficients (${coefficients})`);
  if (!(options.sampleRate > 0)) throw inputError(`sample rate must be positive, got ${options.sampleRate}`);
  if (signal.length === 0) throw inputError('cannot compute MFCCs of an empty clip');
  configureMeyda(frameSize, options.sampleRate, melBands, coefficients);
  const starts = frameStarts(signal.length, frameSize, hop);
  const values = new Float64Array(starts.length * coefficients);
  const frame = new Float32Array(frameSize);
  starts.forEach((start, f) => {
    frame.fill(0);
    const end = Math.min(signal.length, start + frameSize);
    for (let i = start; i < end; i++) frame[i - start] = (signal[i] as number) * scale;
    const mfcc = meyda.extract('mfcc', frame);
    if (!mfcc || mfcc.length < coefficients)
      throw new Error(`Meyda returned ${mfcc?.length ?? 'no'} MFCCs, expected ${coefficients}`);
    for (let c = 0; c < coefficients; c++) values[f * coefficients + c] = mfcc[c] as number;
  });
  return { values, frames: starts.length, coefficients };
}

/** Delta (regression over ±2 frames, edges repeated) of a frames × coefficients matrix. */
export function deltaFrames(input: MfccFrames, width = 2): MfccFrames {
  const { frames, coefficients } = input;
  const values = new Float64Array(input.values.length);
  let denom = 0;
  for (let k = 1; k <= width; k++) denom += 2 * k * k;
  const at = (f: number, c: number) => input.values[Math.max(0, Math.min(frames - 1, f)) * coefficients + c] as number;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < coefficients; c++) {
      let num = 0;
      for (let k = 1; k <= width; k++) num += k * (at(f + k, c) - at(f - k, c));
      values[f * coefficients + c] = num / denom;
    }
  }
  return { values, frames, coefficients };
}

export function mfccFeatureNames(options: Pick<MfccOptions, 'coefficients' | 'deltas'>): string[] {
  const n = options.coefficients ?? 13;
  const names: string[] = [];
  const groups = options.deltas ? ['mfcc', 'delta'] : ['mfcc'];
  for (const g of groups)
    for (const stat of ['mean', 'std']) for (let c = 0; c < n; c++) names.push(`${g}${c}_${stat}`);
  return names;
}

function summarise(frames: MfccFrames, out: Float64Array, offset: number): void {
  const { values, coefficients } = frames;
  for (let c = 0; c < coefficients; c++) {
    let sum = 0;
    for (let f = 0; f < frames.frames; f++) sum += values[f * coefficients + c] as number;
    const mean = sum / frames.frames;
    let ss = 0;
    for (let f = 0; f < frames.frames; f++) ss += ((values[f * coefficients + c] as number) - mean) ** 2;
    out[offset + c] = mean;
    out[offset + coefficients + c] = Math.sqrt(ss / frames.frames);
  }
}

/** Fixed-length vector for one clip, in the order of mfccFeatureNames(options). */
export function mfccSummary(
  signal: ArrayLike<number>,
  options: MfccOptions,
): { featureNames: string[]; values: Float64Array; frames: number } {
  const frames = mfccFrames(signal, options);
  const featureNames = mfccFeatureNames(options);
  const values = new Float64Array(featureNames.length);
  summarise(frames, values, 0);
  if (options.deltas) summarise(deltaFrames(frames), values, 2 * frames.coefficients);
  return { featureNames, values, frames: frames.frames };
}

/**
 * Radix-2 FFT written here rather than pulled from a package so that spectral
 * features are exactly reproducible and their scaling is documented in one place.
 *
 * - `fftInPlace` is the iterative Cooley–Tukey complex transform (bit-reversal
 *   permutation, then log2(n) butterfly stages), forward sign e^{-2πikn/N}.
 * - `rfft` transforms a real signal of length N via one complex FFT of N/2
 *   points (even samples as real part, odd as imaginary) and an untangling step,
 *   returning the one-sided bins 0..N/2. The input is zero-padded to the next
 *   power of two (or to `size`).
 * - The Hann window is the periodic one (scipy.signal.get_window('hann')), which
 *   is the usual choice for spectral analysis.
 */

interface Tables {
  cos: Float64Array;
  sin: Float64Array;
  reverse: Uint32Array;
}
const tableCache = new Map<number, Tables>();

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function tablesFor(n: number): Tables {
  let t = tableCache.get(n);
  if (t) return t;
  const half = n >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const bits = Math.round(Math.log2(n));
  const reverse = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    reverse[i] = r;
  }
  t = { cos, sin, reverse };
  tableCache.set(n, t);
  return t;
}

/** Forward complex FFT in place; re.length must be a power of two. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (!isPowerOfTwo(n) || im.length !== n) throw new RangeError(`fft size must be a power of two, got ${n}`);
  if (n === 1) return;
  const { cos, sin, reverse } = tablesFor(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const halfSize = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < halfSize; k++) {
        const wr = cos[k * step] as number;
        const wi = sin[k * step] as number;
        const a = start + k;
        const b = a + halfSize;
        const xr = re[b] as number;
        const xi = im[b] as number;
        const tr = wr * xr - wi * xi;
        const ti = wr * xi + wi * xr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

const hannCache = new Map<number, Float64Array>();

/** Periodic Hann window of the given length: w[n] = 0.5 − 0.5·cos(2πn/L). */
export function hannWindow(length: number): Float64Array {
  let w = hannCache.get(length);
  if (!w) {
    w = new Float64Array(length);
    for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
    hannCache.set(length, w);
  }
  return w;
}

export interface RfftOptions {
  /** FFT length (power of two, ≥ signal length); default the next power of two. */
  size?: number;
  /** Multiply by a periodic Hann window of the signal's length before padding. */
  hann?: boolean;
}

export interface RfftResult {
  /** One-sided spectrum, bins 0..size/2 inclusive (size/2 + 1 values). */
  re: Float64Array;
  im: Float64Array;
  /** FFT length after zero-padding. */
  size: number;
}

/** FFT of a real signal, zero-padded to a power of two; returns bins 0..N/2. */
export function rfft(signal: ArrayLike<number>, options: RfftOptions = {}): RfftResult {
  const len = signal.length;
  const size = options.size ?? Math.max(2, nextPowerOfTwo(len));
  if (!isPowerOfTwo(size) || size < 2 || size < len) {
    throw new RangeError(`rfft size must be a power of two ≥ max(2, signal length ${len}), got ${size}`);
  }
  const w = options.hann ? hannWindow(len) : undefined;
  const m = size >> 1;
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);
  for (let i = 0; i < len; i++) {
    const v = w ? (signal[i] as number) * (w[i] as number) : (signal[i] as number);
    if (i & 1) zi[i >> 1] = v;
    else zr[i >> 1] = v;
  }
  fftInPlace(zr, zi);
  // Untangle: E_k = (Z_k + conj Z_{m−k})/2 is the FFT of the even samples,
  // O_k = (Z_k − conj Z_{m−k})/(2i) of the odd ones; X_k = E_k + e^{−2πik/N}·O_k.
  const re = new Float64Array(m + 1);
  const im = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    const a = k % m;
    const b = (m - k) % m;
    const zkr = zr[a] as number;
    const zki = zi[a] as number;
    const zmr = zr[b] as number;
    const zmi = -(zi[b] as number);
    const er = 0.5 * (zkr + zmr);
    const ei = 0.5 * (zki + zmi);
    // (Z_k − conj Z_{m−k}) / (2i): divide by i swaps parts and negates the new imaginary
    const or = 0.5 * (zki - zmi);
    const oi = -0.5 * (zkr - zmr);
    const angle = (-2 * Math.PI * k) / size;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    re[k] = er + c * or - s * oi;
    im[k] = ei + c * oi + s * or;
  }
  return { re, im, size };
}

export interface PowerSpectrum {
  /** One-sided power per bin, bins 0..size/2; sums to ≈ mean(x²) (exactly without a window). */
  power: Float64Array;
  /** Frequency spacing between bins in Hz: sampleRate / size. */
  binHz: number;
  size: number;
}

/**
 * One-sided power spectrum scaled so that the bins sum to the mean square of the
 * signal (Parseval). With a Hann window the scaling divides by Σw² instead of L,
 * which keeps the total close to mean(x²) for stationary signals. Zero-padding
 * does not change the total.
 */
export function powerSpectrum(signal: ArrayLike<number>, sampleRate: number, options: RfftOptions = {}): PowerSpectrum {
  const { re, im, size } = rfft(signal, options);
  const len = signal.length;
  let windowEnergy = len;
  if (options.hann) {
    const w = hannWindow(len);
    windowEnergy = 0;
    for (let i = 0; i < len; i++) windowEnergy += (w[i] as number) ** 2;
  }
  const scale = windowEnergy > 0 ? 1 / (size * windowEnergy) : 0;
  const half = size >> 1;
  const power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const p = ((re[k] as number) ** 2 + (im[k] as number) ** 2) * scale;
    power[k] = k === 0 || k === half ? p : 2 * p;
  }
  return { power, binHz: sampleRate / size, size };
}

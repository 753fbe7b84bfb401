/**
 * Time-domain condition indicators of one window of a vibration signal.
 *
 * Conventions (chosen to match SciPy defaults so figures can be cross-checked):
 * - `std` is the population standard deviation (ddof = 0, numpy's default).
 * - `skewness` is scipy.stats.skew(bias=True): m3 / m2^1.5.
 * - `kurtosis` is Fisher (excess) kurtosis, scipy.stats.kurtosis(fisher=True,
 *   bias=True): m4 / m2² − 3, so a Gaussian scores ≈ 0 and impulsive bearing
 *   faults score well above 0.
 * - A constant window has no shape: skewness and kurtosis are reported as 0
 *   (SciPy returns NaN there, which would poison downstream models).
 * - Ratio indicators (crest, shape, impulse, clearance) are 0 when their
 *   denominator is 0, i.e. for an all-zero window.
 */
export const timeFeatureNames = [
  'mean',
  'std',
  'rms',
  'peak',
  'peak_to_peak',
  'crest_factor',
  'kurtosis',
  'skewness',
  'shape_factor',
  'impulse_factor',
  'clearance_factor',
] as const;
export type TimeFeatureName = (typeof timeFeatureNames)[number];

export type TimeFeatures = Record<TimeFeatureName, number>;

/** Relative variance below which a window counts as constant (float noise around a DC level). */
const constantTolerance = 1e-24;

const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);

/** Time features of x[start, end). */
export function timeFeatures(x: ArrayLike<number>, start = 0, end: number = x.length): TimeFeatures {
  const n = end - start;
  if (n <= 0) throw new RangeError('timeFeatures needs a non-empty window');
  let sum = 0;
  let sumAbs = 0;
  let sumSqrtAbs = 0;
  let sumSq = 0;
  let max = -Infinity;
  let min = Infinity;
  for (let i = start; i < end; i++) {
    const v = x[i] as number;
    const a = Math.abs(v);
    sum += v;
    sumAbs += a;
    sumSqrtAbs += Math.sqrt(a);
    sumSq += v * v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const mean = sum / n;
  // Central moments in a second pass: one-pass formulas lose precision when the DC offset is large.
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = start; i < end; i++) {
    const d = (x[i] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const isConstant = m2 <= constantTolerance * Math.max(1, mean * mean);
  const rms = Math.sqrt(sumSq / n);
  const peak = Math.max(Math.abs(max), Math.abs(min));
  const meanAbs = sumAbs / n;
  const meanSqrtAbs = sumSqrtAbs / n;
  return {
    mean,
    std: Math.sqrt(m2),
    rms,
    peak,
    peak_to_peak: max - min,
    crest_factor: ratio(peak, rms),
    kurtosis: isConstant ? 0 : m4 / (m2 * m2) - 3,
    skewness: isConstant ? 0 : m3 / Math.pow(m2, 1.5),
    shape_factor: ratio(rms, meanAbs),
    impulse_factor: ratio(peak, meanAbs),
    clearance_factor: ratio(peak, meanSqrtAbs * meanSqrtAbs),
  };
}

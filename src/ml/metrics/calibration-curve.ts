import { inputError } from '../../errors.js';

/**
 * The reliability (calibration) curve, as scikit-learn's
 * calibration_curve(strategy='uniform'): predicted probabilities cut into
 * `bins` equal-width bins over [0, 1]; per non-empty bin, the mean predicted
 * probability and the observed share of positives. A calibrated model lies on
 * the diagonal. Counts are kept so a chart can show how much each point weighs.
 */
export interface CalibrationCurve {
  meanPredicted: number[];
  fractionPositive: number[];
  counts: number[];
}

export function calibrationCurve(
  yTrue: ArrayLike<number>,
  probability: ArrayLike<number>,
  bins = 10,
  positive = 1,
): CalibrationCurve {
  const n = yTrue.length;
  if (probability.length !== n) throw inputError(`got ${n} labels but ${probability.length} probabilities`);
  const sum = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const count = new Float64Array(bins);
  // The inner edges as numpy.linspace(0, 1, bins + 1)[1:-1] computes them (i · step), so a value on an edge
  // falls in the same bin as with numpy.searchsorted (side 'left': an edge belongs to the bin below it).
  const step = 1 / bins;
  const edges = Array.from({ length: bins - 1 }, (_, i) => (i + 1) * step);
  for (let i = 0; i < n; i++) {
    const p = probability[i] as number;
    if (!(p >= 0 && p <= 1)) throw inputError(`probability at row ${i} is ${p}, outside [0, 1]`);
    let b = 0;
    while (b < edges.length && (edges[b] as number) < p) b++;
    sum[b] = (sum[b] as number) + p;
    count[b] = (count[b] as number) + 1;
    if (yTrue[i] === positive) hits[b] = (hits[b] as number) + 1;
  }
  const out: CalibrationCurve = { meanPredicted: [], fractionPositive: [], counts: [] };
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c === 0) continue;
    out.meanPredicted.push((sum[b] as number) / c);
    out.fractionPositive.push((hits[b] as number) / c);
    out.counts.push(c);
  }
  return out;
}

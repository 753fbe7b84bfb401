import { inputError } from '../../errors.js';
import { column, type FeatureMatrix } from './feature-matrix.js';
import { windowStarts } from './vibration.js';

/**
 * Window features for slow multi-sensor logs such as SKAB (1 Hz): each window of
 * `window` rows, started every `hop` rows, becomes one row with, per sensor,
 * mean, std (population), min, max and slope (least-squares change per row).
 * A trailing partial window is dropped. Raw-row isolation forest on SKAB is near
 * chance (ROC-AUC 0.50–0.59, see ../shared/reference/sklearn_skab.json); window
 * statistics capture trends and variability that single rows cannot.
 */
export const windowStatNames = ['mean', 'std', 'min', 'max', 'slope'] as const;

export interface WindowStats extends FeatureMatrix {
  /** Input row where each output row's window starts. */
  windowStarts: Int32Array;
  window: number;
}

export function windowStats(series: FeatureMatrix, window: number, hop: number = window): WindowStats {
  const starts = windowStarts(series.rows, window, hop);
  const m = statsOverWindows(series, starts, new Int32Array(starts.length).fill(window));
  return { ...m, windowStarts: starts, window };
}

/**
 * Trailing windows ending at each of `ends`: rows max(0, e − window + 1)…e,
 * so windows at a group's start are shorter (down to the first end's length).
 * Remaining-useful-life data needs one row per cycle from early on while long
 * windows smooth the sensor noise (C-MAPSS test units can be 31 cycles long).
 */
export function trailingWindowStats(series: FeatureMatrix, window: number, ends: Int32Array): WindowStats {
  const starts = Int32Array.from(ends, (e) => Math.max(0, e - window + 1));
  const m = statsOverWindows(
    series,
    starts,
    Int32Array.from(ends, (e, i) => e - (starts[i] as number) + 1),
  );
  return { ...m, windowStarts: starts, window };
}

/** Mean, std, min, max and slope of every column over rows starts[r] … starts[r] + lengths[r] − 1. */
function statsOverWindows(series: FeatureMatrix, starts: Int32Array, lengths: Int32Array): FeatureMatrix {
  const rows = starts.length;
  const featureNames = series.featureNames.flatMap((name) => windowStatNames.map((s) => `${name}_${s}`));
  const data = new Float64Array(rows * featureNames.length);
  series.featureNames.forEach((_, s) => {
    const x = column(series, s);
    const base = s * windowStatNames.length * rows;
    for (let r = 0; r < rows; r++) {
      const start = starts[r] as number;
      const window = lengths[r] as number;
      // Σ(i − ī)² for i = 0..w−1, the slope denominator.
      const centre = (window - 1) / 2;
      const sxx = (window * (window * window - 1)) / 12;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < window; i++) {
        const v = x[start + i] as number;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const mean = sum / window;
      let ss = 0;
      let sxy = 0;
      for (let i = 0; i < window; i++) {
        const d = (x[start + i] as number) - mean;
        ss += d * d;
        sxy += (i - centre) * d;
      }
      data[base + r] = mean;
      data[base + rows + r] = Math.sqrt(ss / window);
      data[base + 2 * rows + r] = min;
      data[base + 3 * rows + r] = max;
      data[base + 4 * rows + r] = sxx > 0 ? sxy / sxx : 0;
    }
  });
  return { featureNames, rows, data };
}

export type WindowLabelRule = 'any' | 'last' | 'majority';

/**
 * One 0/1 label per window from per-row labels: 'any' = 1 if any row is 1
 * (the usual choice for anomaly windows), 'last' = the label of the window's last
 * row (what an online detector would be scored on), 'majority' = more than half.
 */
export function windowLabels(
  labels: ArrayLike<number>,
  starts: Int32Array,
  window: number,
  rule: WindowLabelRule = 'any',
): Uint8Array {
  const out = new Uint8Array(starts.length);
  starts.forEach((start, r) => {
    if (start + window > labels.length) throw inputError(`window ${r} runs past the ${labels.length} labels`);
    if (rule === 'last') {
      out[r] = (labels[start + window - 1] as number) > 0 ? 1 : 0;
      return;
    }
    let positives = 0;
    for (let i = 0; i < window; i++) if ((labels[start + i] as number) > 0) positives++;
    out[r] = rule === 'any' ? (positives > 0 ? 1 : 0) : positives * 2 > window ? 1 : 0;
  });
  return out;
}

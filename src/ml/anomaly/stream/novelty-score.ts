import { leftMatrixProfile } from './left-matrix-profile.js';
import { trailingRatio } from './trailing-ratio.js';

/** Settings of the streaming novelty score (all in rows). */
export interface NoveltySettings {
  /** Subsequence lengths; the score is the largest of their calibrated distances. */
  lengths: number[];
  /** Trailing rows whose median distance calibrates each length's distance. */
  calibrationRows: number;
}

/**
 * An online anomaly score: for each subsequence length, the left matrix
 * profile (distance of the latest subsequence to its nearest past neighbour)
 * divided by its own trailing median, and the largest over the lengths.
 * Row t's score reads rows ≤ t only. Several lengths catch both a sudden
 * spike (short) and a slow drift to an unseen level (long).
 */
export function noveltyScore(series: Float64Array, settings: NoveltySettings): Float64Array {
  const out = new Float64Array(series.length);
  for (const length of settings.lengths) {
    const ratio = trailingRatio(leftMatrixProfile(series, length), settings.calibrationRows);
    for (let t = 0; t < out.length; t++) if ((ratio[t] as number) > (out[t] as number)) out[t] = ratio[t] as number;
  }
  return out;
}

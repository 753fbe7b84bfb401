import type { NabProfile } from './nab-profiles.js';
import { falsePositiveWeight, truePositiveWeight } from './nab-score.js';
import type { NabWindow } from './nab-windows.js';

/** One file's anomaly scores (higher = more anomalous) with its windows and probation length. */
export interface NabScoredFile {
  scores: ArrayLike<number>;
  windows: readonly NabWindow[];
  probation: number;
}

export interface ThresholdScore {
  /** Rows with score ≥ threshold are detections. */
  threshold: number;
  score: number;
  tpRows: number;
  fpRows: number;
}

/**
 * NAB's threshold sweep (nab/sweeper.py `calcScoreByThreshold`) over one or
 * more files scored together: every distinct score value as a threshold, from
 * the highest down, with the summed raw NAB score at each. The first entry is
 * "no detection" (threshold +∞: every scored window missed). Exact and
 * O(n log n): lowering the threshold past a row adds that row's weight, and a
 * window's weight is the best (earliest) of its detected rows.
 */
export function nabThresholdSweep(files: readonly NabScoredFile[], profile: NabProfile): ThresholdScore[] {
  const points: { score: number; window: number; weight: number }[] = [];
  const windowBest: number[] = [];
  for (const file of files) {
    const sorted = [...file.windows].sort((a, b) => a.start - b.start);
    let next = 0;
    let prev: NabWindow | null = null;
    const ids = new Map<NabWindow, number>();
    for (const w of sorted)
      if (w.end >= file.probation) {
        ids.set(w, windowBest.length);
        windowBest.push(-profile.fnWeight);
      }
    for (let i = 0; i < file.scores.length; i++) {
      while (next < sorted.length && (sorted[next] as NabWindow).end < i) prev = sorted[next++] as NabWindow;
      if (i < file.probation) continue;
      const w = next < sorted.length && (sorted[next] as NabWindow).start <= i ? (sorted[next] as NabWindow) : null;
      points.push(
        w
          ? { score: file.scores[i] as number, window: ids.get(w)!, weight: truePositiveWeight(w, i, profile) }
          : { score: file.scores[i] as number, window: -1, weight: falsePositiveWeight(prev, i, profile) },
      );
    }
  }
  points.sort((a, b) => b.score - a.score);
  let fpSum = 0;
  let windowSum = windowBest.reduce((s, v) => s + v, 0);
  let tpRows = 0;
  let fpRows = 0;
  const out: ThresholdScore[] = [{ threshold: Infinity, score: windowSum, tpRows: 0, fpRows: 0 }];
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    if (p.window < 0) {
      fpSum += p.weight;
      fpRows++;
    } else {
      tpRows++;
      const before = windowBest[p.window]!;
      if (p.weight > before) {
        windowBest[p.window] = p.weight;
        windowSum += p.weight - before;
      }
    }
    if (k === points.length - 1 || points[k + 1]!.score !== p.score)
      out.push({ threshold: p.score, score: windowSum + fpSum, tpRows, fpRows });
  }
  return out;
}

/**
 * The threshold NAB's optimiser would keep: the highest score over the sweep
 * (the first, i.e. highest threshold, among equal scores), and the range of
 * thresholds that reach it: [lowest, highest] among the sweep's entries with
 * that score (they may not be contiguous).
 */
export function bestNabThreshold(
  files: readonly NabScoredFile[],
  profile: NabProfile,
): ThresholdScore & { plateau: [number, number] } {
  const sweep = nabThresholdSweep(files, profile);
  let best = sweep[0]!;
  for (const s of sweep) if (s.score > best.score) best = s;
  const ties = sweep.filter((s) => s.score === best.score).map((s) => s.threshold);
  return { ...best, plateau: [Math.min(...ties), Math.max(...ties)] };
}

import type { NabProfile } from '../nab/nab-profiles.js';
import { scoreDetections } from '../nab/nab-score.js';
import type { NabScoredFile } from '../nab/threshold-sweep.js';
import { alarmsWithHoldOff } from './hold-off.js';

export interface TunedThreshold {
  threshold: number;
  /** Summed raw NAB score of the tuning files at `threshold`. */
  score: number;
  /** The run of candidate thresholds with that score around the chosen one: [lowest, highest]. */
  range: [number, number];
}

/**
 * The alarm threshold that maximises the summed NAB score of `files` when
 * alarms are raised with a hold-off of `holdRows` (so it cannot use NAB's
 * one-pass sweep: the hold-off makes the alarms of one threshold depend on
 * the rows it skips). Candidates are the highest `maxCandidates` distinct
 * scores after the probation, plus "never alarm". Of the run of neighbouring
 * candidates that share the best score, the midpoint is kept: a threshold in
 * the middle of a plateau transfers to unseen data better than its edge.
 */
export function tuneAlarmThreshold(
  files: readonly NabScoredFile[],
  profile: NabProfile,
  holdRows: number,
  maxCandidates = 1500,
): TunedThreshold {
  const values = new Set<number>();
  for (const f of files)
    for (let i = f.probation; i < f.scores.length; i++) {
      const v = f.scores[i] as number;
      if (Number.isFinite(v)) values.add(v);
    }
  const candidates = [Infinity, ...[...values].sort((a, b) => b - a).slice(0, maxCandidates)];
  const scores = candidates.map((threshold) =>
    files.reduce(
      (sum, f) =>
        sum + scoreDetections(alarmsWithHoldOff(f.scores, threshold, holdRows), f.windows, profile, f.probation).raw,
      0,
    ),
  );
  let best = 0;
  for (let k = 1; k < scores.length; k++) if ((scores[k] as number) > (scores[best] as number)) best = k;
  let lo = best;
  while (lo + 1 < scores.length && scores[lo + 1] === scores[best]) lo++;
  const high = candidates[best] as number;
  const low = candidates[lo] as number;
  const threshold = Number.isFinite(high) ? (high + low) / 2 : Number.isFinite(low) ? low * 2 : Infinity;
  return { threshold, score: scores[best] as number, range: [low, high] };
}

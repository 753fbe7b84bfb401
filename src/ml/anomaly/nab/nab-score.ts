import type { NabProfile } from './nab-profiles.js';
import type { NabWindow } from './nab-windows.js';
import { scaledSigmoid } from './scaled-sigmoid.js';

/**
 * NAB's score of one file's detections (numenta/NAB nab/sweeper.py, the
 * scorer since NAB 1.1), re-implemented from its documented rules:
 * - rows before `probation` are not scored (neither detections nor window
 *   rows); a window with no row after the probation does not count at all;
 * - a window counts once: its first detection weighs tpWeight ×
 *   scaledSigmoid(−(end − i + 1)/width) / scaledSigmoid(−1), so a detection on
 *   the window's first row weighs exactly tpWeight and later ones less; a
 *   window without a detection weighs −fnWeight;
 * - every detection outside a window is a false positive weighing fpWeight ×
 *   scaledSigmoid((i − end)/(width − 1)) of the closest preceding window (near
 *   its right edge almost nothing, a window length or more past it nearly
 *   −fpWeight), or −fpWeight when no window precedes it.
 * normalised = 100 × (raw − null) / (perfect − null), with perfect = tpWeight
 * and null = −fnWeight per scored window (NAB's runner normalises the corpus
 * total the same way, from the null detector's score and the label count).
 */
export interface NabWindowOutcome extends NabWindow {
  /** First detected row inside the window, or null when the window was missed. */
  detectedAt: number | null;
  /** The window's contribution: the weighted first detection or −fnWeight. */
  weight: number;
}

export interface NabFileScore {
  raw: number;
  /** Best possible (every scored window detected on its first row) and the null detector's score. */
  perfect: number;
  null: number;
  /** 100 × (raw − null) / (perfect − null); null when no window is scored. */
  normalised: number | null;
  /** Scored rows detected inside / outside windows (NAB's TP and FP counts). */
  tpRows: number;
  fpRows: number;
  windows: NabWindowOutcome[];
  falsePositives: { row: number; weight: number }[];
}

/** Weight of a detection on row i inside `w` (before dividing by the left-edge weight). */
const positionInWindow = (w: NabWindow, i: number) => -(w.end - i + 1) / (w.end - w.start + 1);

/** Weight of a false positive on row i after the window `prev` (or none). */
export function falsePositiveWeight(prev: NabWindow | null, i: number, profile: NabProfile): number {
  if (!prev) return -profile.fpWeight;
  const width = prev.end - prev.start + 1;
  // NAB divides by width − 1, which is 0 for a one-row window: count that as far away.
  const unweighted = width > 1 ? scaledSigmoid(Math.abs(prev.end - i) / (width - 1)) : -1;
  return unweighted * profile.fpWeight;
}

export function truePositiveWeight(w: NabWindow, i: number, profile: NabProfile): number {
  return (scaledSigmoid(positionInWindow(w, i)) * profile.tpWeight) / scaledSigmoid(-1);
}

export function scoreDetections(
  detections: ArrayLike<number | boolean>,
  windows: readonly NabWindow[],
  profile: NabProfile,
  probation: number,
): NabFileScore {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const scored = sorted.filter((w) => w.end >= probation);
  const outcomes: NabWindowOutcome[] = scored.map((w) => ({ ...w, detectedAt: null, weight: -profile.fnWeight }));
  const falsePositives: NabFileScore['falsePositives'] = [];
  let tpRows = 0;
  let next = 0; // index in `sorted` of the first window not yet passed
  let prev: NabWindow | null = null;
  for (let i = 0; i < detections.length; i++) {
    while (next < sorted.length && (sorted[next] as NabWindow).end < i) prev = sorted[next++] as NabWindow;
    if (i < probation || !detections[i]) continue;
    const w = next < sorted.length && (sorted[next] as NabWindow).start <= i ? (sorted[next] as NabWindow) : null;
    if (w) {
      tpRows++;
      const outcome = outcomes.find((o) => o.start === w.start)!;
      if (outcome.detectedAt === null) {
        outcome.detectedAt = i;
        outcome.weight = truePositiveWeight(w, i, profile);
      }
    } else falsePositives.push({ row: i, weight: falsePositiveWeight(prev, i, profile) });
  }
  const raw = outcomes.reduce((s, o) => s + o.weight, 0) + falsePositives.reduce((s, f) => s + f.weight, 0);
  const perfect = profile.tpWeight * scored.length;
  const nullScore = -profile.fnWeight * scored.length;
  return {
    raw,
    perfect,
    null: nullScore,
    normalised: scored.length ? normaliseNabScore(raw, perfect, nullScore) : null,
    tpRows,
    fpRows: falsePositives.length,
    windows: outcomes,
    falsePositives,
  };
}

export const normaliseNabScore = (raw: number, perfect: number, nullScore: number) =>
  (100 * (raw - nullScore)) / (perfect - nullScore);

/**
 * Point-wise alarm figures as SKAB's core/metrics.py computes them for its
 * outlier leaderboard: TP, TN, FP, FN counted row by row and summed over every
 * experiment file before any ratio (pooled, not averaged per file), then
 *   F1  = TP / (TP + (FN + FP) / 2)
 *   FAR = FP / (FP + TN)        (false-alarm rate: share of normal rows flagged)
 *   MAR = FN / (FN + TP)        (missed-alarm rate: share of anomalous rows not flagged)
 * A ratio with an empty denominator is 0 (SKAB would divide by zero).
 */
export interface AlarmCounts {
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

export interface AlarmFigures extends AlarmCounts {
  f1: number;
  far: number;
  mar: number;
  precision: number;
  recall: number;
}

export const emptyCounts = (): AlarmCounts => ({ tp: 0, tn: 0, fp: 0, fn: 0 });

/** Adds the rows of one file (labels 1 = anomalous; alarms 1 = flagged) to `into`. */
export function countAlarms(
  labels: ArrayLike<number>,
  alarms: ArrayLike<number>,
  into: AlarmCounts = emptyCounts(),
): AlarmCounts {
  for (let i = 0; i < labels.length; i++) {
    const anomalous = labels[i] === 1;
    const flagged = alarms[i] === 1;
    if (anomalous && flagged) into.tp++;
    else if (anomalous) into.fn++;
    else if (flagged) into.fp++;
    else into.tn++;
  }
  return into;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function alarmFigures(c: AlarmCounts): AlarmFigures {
  return {
    ...c,
    f1: ratio(c.tp, c.tp + (c.fn + c.fp) / 2),
    far: ratio(c.fp, c.fp + c.tn),
    mar: ratio(c.fn, c.fn + c.tp),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
  };
}

/** Pooled figures over files: counts summed first, as SKAB does. */
export function pooledAlarmFigures(files: readonly { labels: ArrayLike<number>; alarms: ArrayLike<number> }[]) {
  const c = emptyCounts();
  for (const f of files) countAlarms(f.labels, f.alarms, c);
  return alarmFigures(c);
}

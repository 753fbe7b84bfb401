import type { NabProfile } from './nab-profiles.js';
import { normaliseNabScore } from './nab-score.js';
import type { NabWindow } from './nab-windows.js';

/**
 * SKAB's changepoint leaderboard score (waico/SKAB core/metrics.py, `chp_score`
 * with metric 'nab'), which differs from NAB's own scorer:
 * - a window of `windowMs` starts at each labelled changepoint (SKAB's
 *   "righter" windows); when one reaches into the next, the next one starts
 *   where the first ends ("cut right window");
 * - predicted changepoints are the onsets and ends of alarms
 *   (|alarm[t] − alarm[t−1]|, and alarm[0] itself);
 * - a window's first predicted changepoint weighs SKAB's tanh scale: A_tp at
 *   the window's start falling to A_fp at its end, sampled at 1,000 points; a
 *   window with none weighs A_fn (−fnWeight); later predictions in a window
 *   weigh nothing;
 * - every prediction outside all windows weighs A_fp (−fpWeight), flat;
 * - no probation period; files are summed and normalised once:
 *   100 × (Σ raw − Σ null) / (Σ perfect − Σ null).
 * Profile weights are NAB's (standard −0.11 / −1, low-FP −0.22 / −1, low-FN −0.11 / −2).
 */
export interface ChangepointFile {
  /** Row times (epoch ms), increasing. */
  time: ArrayLike<number>;
  /** 1 on rows labelled as a changepoint. */
  changepoints: ArrayLike<number>;
  /** 1 on rows the detector flags. */
  alarms: ArrayLike<number>;
}

export interface ChangepointTotals {
  raw: number;
  perfect: number;
  null: number;
  windows: number;
  detected: number;
  falsePositives: number;
}

/** SKAB's `my_scale`: value at the detection's relative place in its window (clear-anomalies mode). */
export function skabScale(relative: number, tp: number, fp: number, points = 1000): number {
  let event = Math.floor(relative * points);
  if (event >= points) event = points - 1;
  const x = -Math.PI / 2 + (event * Math.PI) / (points - 1);
  return ((tp - fp) / 2) * ((-1 * Math.tanh(x)) / Math.tanh(Math.PI / 2)) + (tp - fp) / 2 + fp;
}

/** Windows in time: [t_cp, t_cp + width] per changepoint, a later one cut to start where an overlapping earlier one ends. */
export function changepointWindows(time: ArrayLike<number>, changepoints: ArrayLike<number>, widthMs: number) {
  const windows: { start: number; end: number }[] = [];
  for (let i = 0; i < changepoints.length; i++)
    if (changepoints[i] === 1) windows.push({ start: time[i]!, end: time[i]! + widthMs });
  for (let i = 0; i + 1 < windows.length; i++)
    if (windows[i]!.end >= windows[i + 1]!.start) windows[i + 1]!.start = windows[i]!.end;
  return windows;
}

export function scoreChangepointFile(file: ChangepointFile, widthMs: number, profile: NabProfile): ChangepointTotals {
  const windows = changepointWindows(file.time, file.changepoints, widthMs);
  const predicted: number[] = [];
  for (let i = 0; i < file.alarms.length; i++) {
    const change = i === 0 ? file.alarms[0]! : Math.abs(file.alarms[i]! - file.alarms[i - 1]!);
    if (change === 1) predicted.push(file.time[i]!);
  }
  const tp = profile.tpWeight;
  const fp = -profile.fpWeight;
  let raw = 0;
  let detected = 0;
  let falsePositives = 0;
  const inside = (t: number, w: NabWindow) => t >= w.start && t <= w.end;
  for (const w of windows) {
    const first = predicted.find((t) => inside(t, w));
    if (first === undefined) raw -= profile.fnWeight;
    else {
      detected++;
      raw += skabScale(w.end > w.start ? (first - w.start) / (w.end - w.start) : 0, tp, fp);
    }
  }
  for (const t of predicted)
    if (!windows.some((w) => inside(t, w))) {
      falsePositives++;
      raw += fp;
    }
  return {
    raw,
    perfect: tp * windows.length,
    null: -profile.fnWeight * windows.length,
    windows: windows.length,
    detected,
    falsePositives,
  };
}

/** The normalised score over files, as SKAB sums its per-file matrices before normalising. */
export function skabChangepointScore(files: readonly ChangepointFile[], widthMs: number, profile: NabProfile) {
  const total: ChangepointTotals = { raw: 0, perfect: 0, null: 0, windows: 0, detected: 0, falsePositives: 0 };
  for (const f of files) {
    const s = scoreChangepointFile(f, widthMs, profile);
    for (const k of Object.keys(total) as (keyof ChangepointTotals)[]) total[k] += s[k];
  }
  return { ...total, score: total.windows ? normaliseNabScore(total.raw, total.perfect, total.null) : NaN };
}

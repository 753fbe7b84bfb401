/**
 * A NAB anomaly window as inclusive row indices of one file. NAB's labeler
 * marks every row whose timestamp lies in [start, end] of a window in
 * combined_windows.json; windows never touch, so the runs of marked rows are
 * the windows again.
 */
export interface NabWindow {
  start: number;
  end: number;
}

/** 1 for rows inside a window (start ≤ time ≤ end, both inclusive), else 0. */
export function labelsFromLimits(time: ArrayLike<number>, limits: readonly (readonly [number, number])[]): Uint8Array {
  const labels = new Uint8Array(time.length);
  for (const [from, to] of limits)
    for (let i = 0; i < time.length; i++) {
      const t = time[i] as number;
      if (t >= from && t <= to) labels[i] = 1;
    }
  return labels;
}

/** The runs of rows labelled 1, in row order. */
export function windowsFromLabels(labels: ArrayLike<number>): NabWindow[] {
  const windows: NabWindow[] = [];
  let start = -1;
  for (let i = 0; i <= labels.length; i++) {
    const inside = i < labels.length && labels[i] === 1;
    if (inside && start < 0) start = i;
    else if (!inside && start >= 0) {
      windows.push({ start, end: i - 1 });
      start = -1;
    }
  }
  return windows;
}

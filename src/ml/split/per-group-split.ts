import { inputError } from '../../errors.js';

/**
 * SKAB's leaderboard protocol: every group (experiment file) gets its own model,
 * fitted on its first `fitRows` rows in source order (no shuffling), and scores
 * the rest of it. smx adds a calibration part: the next `calibrationRows` rows
 * of each group's known-normal start are scored by the model but never fitted,
 * and set the alarm threshold; test rows start after them.
 *
 * Positions are each row's place in its group's source rows (a window dataset
 * starts at the window's length, not 0), so "the first 400 rows" means the same
 * rows whatever feature stages ran. Rows of a group are expected in source order.
 */
export interface PerGroupSplitOptions {
  fitRows: number;
  calibrationRows: number;
}

export interface GroupFold {
  group: number;
  fit: Int32Array;
  calibration: Int32Array;
  test: Int32Array;
}

export function perGroupSplit(
  groupIndex: Int32Array,
  positions: Int32Array,
  options: PerGroupSplitOptions,
): GroupFold[] {
  const { fitRows, calibrationRows } = options;
  if (!(Number.isInteger(fitRows) && fitRows >= 2))
    throw inputError(`per-group split: fitRows must be ≥ 2, got ${fitRows}`);
  if (!(Number.isInteger(calibrationRows) && calibrationRows >= 0))
    throw inputError(`per-group split: calibrationRows must be ≥ 0, got ${calibrationRows}`);
  const scoreFrom = fitRows + calibrationRows;
  const byGroup = new Map<number, { fit: number[]; calibration: number[]; test: number[] }>();
  for (let r = 0; r < groupIndex.length; r++) {
    const g = groupIndex[r] as number;
    let parts = byGroup.get(g);
    if (!parts) byGroup.set(g, (parts = { fit: [], calibration: [], test: [] }));
    const p = positions[r] as number;
    (p < fitRows ? parts.fit : p < scoreFrom ? parts.calibration : parts.test).push(r);
  }
  return [...byGroup.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([group, parts]) => ({
      group,
      fit: Int32Array.from(parts.fit),
      calibration: Int32Array.from(parts.calibration),
      test: Int32Array.from(parts.test),
    }));
}

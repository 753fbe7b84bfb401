import { inputError } from '../../errors.js';

/**
 * Remaining useful life (RUL) targets for run-to-failure data such as NASA
 * C-MAPSS: within each unit (group), RUL at a row = the unit's remaining life
 * at its last row + (last cycle − this cycle). A training unit runs to failure,
 * so its last row has 0 left; a test unit stops early and the truth file gives
 * what was left at its last row (`endOfLife`).
 *
 * The training target is capped (`min(cap, RUL)`, the piecewise-linear target
 * of Heimes 2008 used by most C-MAPSS papers with cap 125): early in life the
 * sensors show no degradation, so a model cannot tell 300 cycles left from 200.
 * The uncapped value is kept beside it as the truth the evaluation scores
 * against.
 *
 *   remainingUsefulLife(Float64Array.of(1, 2, 3), Int32Array.of(0, 0, 0), { cap: 1 })
 *   // → { capped: [1, 1, 0], uncapped: [2, 1, 0] }
 */
export interface RulOptions {
  /** Upper bound of the training target (C-MAPSS convention: 125). */
  cap: number;
  /** Per row: the unit's remaining life at its last row (constant within a unit); absent = every unit ran to failure. */
  endOfLife?: ArrayLike<number> | undefined;
}

export interface RulTargets {
  capped: Float64Array;
  uncapped: Float64Array;
}

export function remainingUsefulLife(
  cycles: ArrayLike<number>,
  groupIndex: ArrayLike<number>,
  options: RulOptions,
): RulTargets {
  if (!(options.cap > 0)) throw inputError(`RUL cap must be positive, got ${options.cap}`);
  const n = cycles.length;
  const lastCycle = new Map<number, number>();
  const end = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const g = groupIndex[r] as number;
    const c = cycles[r] as number;
    if (!Number.isFinite(c)) throw inputError(`RUL: the cycle at row ${r} is missing or not a number`);
    lastCycle.set(g, Math.max(lastCycle.get(g) ?? -Infinity, c));
    if (options.endOfLife) {
      const e = options.endOfLife[r] as number;
      if (!Number.isFinite(e) || e < 0)
        throw inputError(`RUL: the remaining life at the end of row ${r}'s unit is ${e}, not a number ≥ 0`, {
          hint: 'Give every unit one: a truth file through groupValues, or constants: { <column>: 0 } for run-to-failure files.',
        });
      const seen = end.get(g);
      if (seen !== undefined && seen !== e)
        throw inputError(`RUL: row ${r}'s unit has two different end-of-life values (${seen} and ${e})`);
      end.set(g, e);
    }
  }
  const capped = new Float64Array(n);
  const uncapped = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const g = groupIndex[r] as number;
    const rul = (end.get(g) ?? 0) + (lastCycle.get(g) as number) - (cycles[r] as number);
    uncapped[r] = rul;
    capped[r] = Math.min(options.cap, rul);
  }
  return { capped, uncapped };
}

/**
 * The scoring function of the PHM 2008 challenge (Saxena et al. 2008), used by
 * every C-MAPSS paper beside RMSE: with d = predicted − true,
 * s = Σ e^(−d/13) − 1 for d < 0 and e^(d/10) − 1 otherwise. Late predictions
 * (d > 0, the engine fails before the predicted time) cost more than early ones.
 */
export function nasaScore(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (predicted.length !== actual.length) throw new RangeError('NASA score needs two arrays of equal length');
  let s = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = (predicted[i] as number) - (actual[i] as number);
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return s;
}

/**
 * Positions (into `rows`) of each group's last row: the row with the largest
 * time, ties broken by the later position. This is the one prediction per test
 * unit the C-MAPSS protocol scores. Groups in order of first appearance.
 */
export function lastRowOfEachGroup(
  rows: ArrayLike<number>,
  groupIndex: ArrayLike<number>,
  time: ArrayLike<number> | null,
): { group: number; position: number }[] {
  const last = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const g = groupIndex[r] as number;
    const seen = last.get(g);
    if (seen === undefined || !time || (time[r] as number) >= (time[rows[seen] as number] as number)) last.set(g, i);
  }
  return [...last].map(([group, position]) => ({ group, position }));
}

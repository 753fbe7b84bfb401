/**
 * Calibrated effect floors: each column's floor learned from its own recent
 * normal hours, as a control chart's limits are (Shewhart's Phase II, NannyML's
 * StandardDeviationThreshold over reference chunks).
 *
 * A fixed floor in units of the window's σ does not travel between
 * processes: the hour-to-hour variation of a sensor's level and spread — a
 * slow wander, a production rate that differs by day, autocorrelated noise —
 * is a property of the process, and the floor must sit above it. Chosen on
 * `smx generate` at W/σ 1.75, a fixed floor false-alarmed on 32 % of the
 * hourly checks of the second generator, whose daily production varies by
 * ±5 %. So the pool keeps, per column, the effect sizes of its last
 * `capacity` decided checks that did not flag it (a flagged check is kept out,
 * so a drift does not teach the alarm that drift is normal), and the floor is
 * mean + k·sd of them, never below the fixed minimum. Until a column has
 * `minCount` such checks it is undecided ("calibrating").
 */

export interface CalibrationSettings {
  /** Floor = mean + k·sd of the pooled effects. */
  k: number;
  /** Checks kept per column (the last ones). */
  capacity: number;
  /** Checks a column needs before it is decided. */
  minCount: number;
  /** The floors never go below these. */
  minimum: { wasserstein: number; spread: number };
}

export const DEFAULT_CALIBRATION: Readonly<CalibrationSettings> = Object.freeze({
  k: 4,
  capacity: 168,
  minCount: 48,
  minimum: Object.freeze({ wasserstein: 0.1, spread: 0.1 }),
});

/** One column's effect in one check: W / max(σ, 0.001), |ln σ ratio|, and whether the check flagged it. */
export interface PooledEffect {
  wasserstein: number;
  spread: number;
}

export type CalibratedFloor =
  | { status: 'calibrated'; wasserstein: number; spread: number; count: number }
  | { status: 'calibrating'; count: number };

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}

export class EffectPool {
  private readonly byColumn = new Map<string, PooledEffect[]>();

  constructor(readonly settings: CalibrationSettings = DEFAULT_CALIBRATION) {}

  /** Adds one normal (unflagged) check of `column`, oldest first; the oldest fall out past `capacity`. */
  add(column: string, effect: PooledEffect): void {
    if (!Number.isFinite(effect.wasserstein) || !Number.isFinite(effect.spread)) return;
    let list = this.byColumn.get(column);
    if (!list) this.byColumn.set(column, (list = []));
    list.push(effect);
    if (list.length > this.settings.capacity) list.splice(0, list.length - this.settings.capacity);
  }

  count(column: string): number {
    return this.byColumn.get(column)?.length ?? 0;
  }

  floor(column: string): CalibratedFloor {
    const list = this.byColumn.get(column) ?? [];
    if (list.length < this.settings.minCount) return { status: 'calibrating', count: list.length };
    const { k, minimum } = this.settings;
    const w = meanSd(list.map((e) => e.wasserstein));
    const s = meanSd(list.map((e) => e.spread));
    return {
      status: 'calibrated',
      wasserstein: Math.max(minimum.wasserstein, w.mean + k * w.sd),
      spread: Math.max(minimum.spread, s.mean + k * s.sd),
      count: list.length,
    };
  }
}

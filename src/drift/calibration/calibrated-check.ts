/**
 * A check with calibrated floors, before and after the engine runs: the
 * pool's floors become per-column CompareOptions (a column still learning is
 * computed but left undecided), and afterwards every column that was not
 * flagged feeds its effect back into the pool. The record of what was used is
 * kept with the stored check, so the next check (another process, an hour
 * later) can rebuild the pool from drift_checks.
 */
import type { CalibrationRecord, CompareOptions, DriftReport, EffectFloors } from '../types.js';
import { type CalibratedFloor, EffectPool } from './effect-pool.js';

export type { CalibrationRecord };

export function calibrationKey(parts: { subject: string; reference: string; season?: string; spanMs: number }): string {
  return [parts.subject, parts.reference, parts.season ?? '', String(parts.spanMs)].join('|');
}

/** CompareOptions with the pool's floors for these columns. */
export function calibratedOptions(pool: EffectPool, columns: readonly string[], base: CompareOptions): CompareOptions {
  const columnEffectFloors: Record<string, Partial<EffectFloors>> = { ...base.columnEffectFloors };
  const undecidedColumns: Record<string, string> = { ...base.undecidedColumns };
  const { minimum, minCount } = pool.settings;
  for (const column of columns) {
    const floor = pool.floor(column);
    if (floor.status === 'calibrated') {
      columnEffectFloors[column] = { wasserstein: floor.wasserstein, spread: floor.spread };
    } else {
      // Computed at the minimum floors (so its effect is measured), but not decided yet.
      columnEffectFloors[column] = { ...minimum };
      undecidedColumns[column] = `calibrating its effect floor: ${floor.count} of ${minCount} normal checks so far`;
    }
  }
  return { ...base, columnEffectFloors, undecidedColumns };
}

/** Feeds the report's unflagged columns into the pool; returns the record to store with the check. */
export function recordCalibration(pool: EffectPool, key: string, report: DriftReport): CalibrationRecord {
  const floors: Record<string, CalibratedFloor> = {};
  const effects: CalibrationRecord['effects'] = {};
  for (const c of report.columns) {
    floors[c.column] = pool.floor(c.column);
    if (!c.effect || c.effect.measure !== 'wasserstein') continue;
    const effect = { wasserstein: c.effect.value, spread: c.effect.spread?.value ?? Number.NaN };
    effects[c.column] = { ...effect, flagged: c.drifted };
    if (!c.drifted) pool.add(c.column, effect);
  }
  return { key, floors, effects };
}

/** A pool rebuilt from stored records, oldest first. */
export function poolFromRecords(
  pool: EffectPool,
  records: ReadonlyArray<Pick<CalibrationRecord, 'effects'>>,
): EffectPool {
  for (const record of records)
    for (const [column, e] of Object.entries(record.effects)) if (!e.flagged) pool.add(column, e);
  return pool;
}

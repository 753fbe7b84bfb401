/**
 * Named drift baselines: a reference window pinned once (after
 * commissioning, after a maintenance) and compared against by every later
 * check with `--reference baseline:NAME`, so the alarm does not move with the
 * data the way "the window before" does. Stored in drift_baselines with the
 * sensors they resolved to and their reading counts at the time.
 */
import type { Queryable } from '../db/db.js';
import {
  deleteDriftBaseline,
  type DriftBaselineRow,
  getDriftBaseline,
  listDriftBaselines,
  upsertDriftBaseline,
} from '../db/queries/drift-baselines.js';
import { readingsPerSensor } from '../db/queries/sensor-readings-hourly.js';
import { SmxError, notFoundError, usageError } from '../errors.js';
import { resolveSensors, type SensorSelection, type WindowSource } from './sources/load-sensor-window.js';
import { parseTimeRange } from './sources/window-range.js';

export type { DriftBaselineRow };

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

export interface SetBaselineOptions {
  name: string;
  selection: SensorSelection;
  /** FROM..TO or last:14d (relative to `now`). */
  window: string;
  source?: WindowSource;
  note?: string;
  /** Replace a baseline of the same name (otherwise that is a conflict). */
  replace?: boolean;
  now: Date;
}

export interface SetBaselineResult {
  baseline: DriftBaselineRow;
  created: boolean;
  /** Sensors with no reading in the window (a baseline of nothing would make every check undecided). */
  empty: string[];
}

export async function setDriftBaseline(db: Queryable, options: SetBaselineOptions): Promise<SetBaselineResult> {
  if (!namePattern.test(options.name))
    throw usageError(`Baseline name ${JSON.stringify(options.name)} is not valid.`, {
      hint: 'Use letters, digits and . _ : - (up to 100 characters), starting with a letter or digit.',
    });
  const range = parseTimeRange(options.window, options.now, '--window');
  const sensorIds = await resolveSensors(db, options.selection);
  const counts = await readingsPerSensor(db, {
    sinceMs: range.from.getTime(),
    untilMs: range.to.getTime(),
    sensors: sensorIds,
  });
  const rowCounts = Object.fromEntries(sensorIds.map((id) => [id, counts.find((c) => c.sensorId === id)?.rows ?? 0]));
  const empty = sensorIds.filter((id) => rowCounts[id] === 0);
  if (empty.length === sensorIds.length)
    throw usageError(`No sensor has a reading in ${range.label}; a baseline of nothing cannot be compared against.`, {
      hint: 'Check the window (times without a zone are UTC) and the sensors.',
    });
  const row = {
    name: options.name,
    sensorIds,
    sensorType: options.selection.sensorType ?? null,
    windowFrom: range.from,
    windowTo: range.to,
    source: options.source ?? 'readings',
    rowCounts: rowCounts as Record<string, number>,
    note: options.note ?? null,
  };
  const stored = await upsertDriftBaseline(db, row, Boolean(options.replace));
  if (stored.conflict)
    throw new SmxError('CONFLICT', `A baseline named ${JSON.stringify(options.name)} exists.`, {
      hint: 'Pass --replace to overwrite it, or choose another name.',
    });
  return { baseline: (await getDriftBaseline(db, options.name))!, created: stored.created, empty };
}

export async function showDriftBaseline(db: Queryable, name: string): Promise<DriftBaselineRow> {
  const baseline = await getDriftBaseline(db, name);
  if (!baseline)
    throw notFoundError(`No drift baseline named ${JSON.stringify(name)}.`, {
      hint: 'List them with `smx drift baseline list`.',
    });
  return baseline;
}

export const listBaselines = (db: Queryable): Promise<DriftBaselineRow[]> => listDriftBaselines(db);

export async function removeDriftBaseline(db: Queryable, name: string): Promise<void> {
  if (!(await deleteDriftBaseline(db, name)))
    throw notFoundError(`No drift baseline named ${JSON.stringify(name)}.`, {
      hint: 'List them with `smx drift baseline list`.',
    });
}

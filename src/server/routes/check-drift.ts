import type { Clock } from '../../clock.js';
import type { Db } from '../../db/db.js';
import { compareDatasets } from '../../drift/stats/compare.js';
import { loadSensorWindow } from '../../drift/sources/load-sensor-window.js';
import { formatRange } from '../../drift/sources/window-range.js';
import { badRequest } from '../http-error.js';
import { parseJsonObject } from '../request-body.js';
import type { RouteHandler } from '../route-types.js';

export interface DriftRequest {
  sensorId: string;
  windowMinutes: number;
  pValueThreshold: number;
  minSamples: number;
}

/** Validates the seed's request fields (snake_case), with its defaults. */
export function parseDriftRequest(body: Record<string, unknown>): DriftRequest {
  const sensorId = body.sensor_id;
  if (typeof sensorId !== 'string' || !sensorId.trim() || sensorId.length > 200)
    throw badRequest('sensor_id must be a non-empty string of at most 200 characters.');
  const number = (name: string, fallback: number, ok: (v: number) => boolean, rule: string): number => {
    const value = body[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
      throw badRequest(`${name} must be ${rule}; got ${JSON.stringify(value)}.`);
    return value;
  };
  return {
    sensorId,
    windowMinutes: number('window_minutes', 60, (v) => v > 0 && v <= 1440, 'a number of minutes in (0, 1440]'),
    pValueThreshold: number('p_value_threshold', 0.05, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    minSamples: number(
      'min_samples',
      30,
      (v) => Number.isInteger(v) && v >= 2 && v <= 1_000_000,
      'a whole number from 2 to 1000000',
    ),
  };
}

/**
 * POST /api/v1/ml/check_drift: the drift engine (two-sample KS decides, as the
 * seed; PSI, Wasserstein, means and spreads reported beside it) over one
 * sensor's last two windows, loaded by drift's own window loader (the same
 * as `smx drift --sensor`). The response keeps the seed's fields.
 */
export function checkDrift(deps: { db: Db; now: Clock }): RouteHandler {
  const { now } = deps;
  return async (context) => {
    const request = parseDriftRequest(parseJsonObject(await context.body()));
    const evaluatedAt = now();
    const windows = await lastTwoWindows(deps.db, request.sensorId, evaluatedAt, request.windowMinutes * 60_000);
    const report = compareDatasets(
      { columns: { value: windows.reference } },
      { columns: { value: windows.current } },
      { method: 'ks', thresholds: { ks: request.pValueThreshold }, minSamples: request.minSamples },
    );
    const column = report.columns[0]!;
    const insufficient = column.status !== 'tested';
    const numeric = column.numeric;
    const notes = insufficient
      ? `insufficient data: ${column.currentCount} recent and ${column.referenceCount} baseline readings; at least ${request.minSamples} needed in each window`
      : column.drifted
        ? `drift detected: KS p-value ${column.pValue} < ${request.pValueThreshold}`
        : `no drift: KS p-value ${column.pValue} >= ${request.pValueThreshold}`;
    return {
      status: 200,
      body: {
        sensor_id: request.sensorId,
        recent_count: column.currentCount,
        baseline_count: column.referenceCount,
        window_minutes: request.windowMinutes,
        ks_statistic: insufficient ? null : column.statistic,
        p_value: insufficient ? null : column.pValue,
        p_value_threshold: request.pValueThreshold,
        drift_detected: !insufficient && column.drifted,
        insufficient_data: insufficient,
        request_id: context.requestId,
        evaluated_at: new Date(evaluatedAt).toISOString(),
        notes,
        windows: {
          reference: { from: windows.referenceFrom.toISOString(), to: windows.currentFrom.toISOString() },
          current: { from: windows.currentFrom.toISOString(), to: windows.currentTo.toISOString() },
        },
        statistics: numeric
          ? {
              ks_method: numeric.ks.method,
              psi: numeric.psi,
              psi_level: numeric.psiLevel,
              wasserstein: numeric.wasserstein,
              wasserstein_normed: numeric.wassersteinNormed,
              reference: numeric.reference,
              current: numeric.current,
            }
          : null,
      },
    };
  };
}

/**
 * One sensor's values in two adjacent, non-overlapping windows of equal
 * length ending at `nowMs`: current [now−W, now), reference [now−2W, now−W).
 * Every reading in them is used (the seed capped them at 150 and let the
 * windows share their boundary instant).
 */
async function lastTwoWindows(db: Db, sensorId: string, nowMs: number, windowMs: number) {
  const currentTo = new Date(nowMs);
  const currentFrom = new Date(nowMs - windowMs);
  const referenceFrom = new Date(nowMs - 2 * windowMs);
  const load = async (from: Date, to: Date) => {
    const window = await loadSensorWindow(db, {
      sensorIds: [sensorId],
      range: { from, to, label: formatRange(from, to) },
      concurrency: 1,
    });
    return window.columns.get(sensorId)!;
  };
  return {
    reference: await load(referenceFrom, currentFrom),
    current: await load(currentFrom, currentTo),
    referenceFrom,
    currentFrom,
    currentTo,
  };
}

/**
 * One window of sensor_readings (or of the hourly aggregates) as a drift
 * dataset: one numeric column per sensor. Each sensor's values stream out of
 * Postgres through `COPY (select value …) TO STDOUT (FORMAT binary)` straight
 * into a Float64Array (or a seeded reservoir with `sample`), so ten sensors ×
 * a million readings never become row objects. Sensors load in parallel, a few
 * connections at a time; the (sensor_id, ts) primary key serves each query.
 */
import type { Writable } from 'node:stream';
import { usageError } from '../../errors.js';
import type { Db, DbClient, Queryable } from '../../db/db.js';
import { copyReadingValues } from '../../db/queries/sensor-readings.js';
import { copyHourlyAverages } from '../../db/queries/sensor-readings-hourly.js';
import { sensorsOfType } from '../../db/queries/sensors.js';
import { GrowableFloat64Array } from './growable-array.js';
import { Reservoir } from './reservoir.js';
import type { DriftColumn, DriftDataset } from '../types.js';
import { FloatCopyParser } from './float-copy-parser.js';
import type { TimeRange } from './window-range.js';

export type WindowSource = 'readings' | 'hourly';

export interface SensorSelection {
  sensorIds?: readonly string[];
  sensorType?: string;
}

export interface SensorWindowOptions {
  sensorIds: readonly string[];
  range: TimeRange;
  /** Raw readings (default) or the hourly averages of sensor_hourly. */
  source?: WindowSource;
  /** Keep a seeded uniform sample of at most this many values per sensor. */
  sample?: { size: number; seed: number };
  /** Connections used at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface SensorWindowColumn {
  sensorId: string;
  /** Values in the window before sampling. */
  rows: number;
  /** Values kept (= rows unless sampled). */
  kept: number;
  sampled: boolean;
}

export interface SensorWindow extends DriftDataset {
  columns: Map<string, DriftColumn>;
  range: TimeRange;
  source: WindowSource;
  sensors: SensorWindowColumn[];
}

/** The sensor ids to compare: the ones named, or every sensor of a type (from the sensors table). */
export async function resolveSensors(db: Queryable, selection: SensorSelection): Promise<string[]> {
  if (selection.sensorIds?.length && selection.sensorType)
    throw usageError('Give --sensor or --sensor-type, not both.');
  if (selection.sensorIds?.length) return [...new Set(selection.sensorIds)];
  if (!selection.sensorType) throw usageError('Name the sensors to compare with --sensor ID… or --sensor-type TYPE.');
  const ids = await sensorsOfType(db, selection.sensorType);
  if (ids.length === 0) {
    throw usageError(`No sensors of type ${JSON.stringify(selection.sensorType)} are registered.`, {
      hint: 'List the types with: select sensor_type, count(*) from sensors group by 1;',
    });
  }
  return ids;
}

/** One sensor's window as COPY binary (one float8 column) into `sink`: raw values, or the hourly averages. */
function copyWindow(client: DbClient, sensorId: string, range: TimeRange, source: WindowSource, sink: Writable) {
  return source === 'hourly'
    ? copyHourlyAverages(client, sensorId, range, sink)
    : copyReadingValues(client, sensorId, range, sink);
}

/** A stable per-sensor seed, so one sensor's sample does not depend on which others are compared. */
function sensorSeed(seed: number, sensorId: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < sensorId.length; i++) h = Math.imul(h ^ sensorId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function loadOne(
  db: Db,
  sensorId: string,
  options: SensorWindowOptions,
): Promise<{ column: Float64Array; info: SensorWindowColumn }> {
  const source = options.source ?? 'readings';
  if (options.sample) {
    const reservoir = new Reservoir(options.sample.size, sensorSeed(options.sample.seed, sensorId));
    const parser = new FloatCopyParser((v) => reservoir.add(v));
    await db.withClient((client) => copyWindow(client, sensorId, options.range, source, parser));
    const result = reservoir.result();
    return {
      column: result.values,
      info: { sensorId, rows: result.seen, kept: result.values.length, sampled: result.sampled },
    };
  }
  const values = new GrowableFloat64Array(1 << 16);
  const parser = new FloatCopyParser((v) => values.push(v));
  await db.withClient((client) => copyWindow(client, sensorId, options.range, source, parser));
  return { column: values.toArray(), info: { sensorId, rows: values.length, kept: values.length, sampled: false } };
}

export async function loadSensorWindow(db: Db, options: SensorWindowOptions): Promise<SensorWindow> {
  if (options.sensorIds.length === 0) throw usageError('No sensors to load.');
  const results = new Array<{ column: Float64Array; info: SensorWindowColumn }>(options.sensorIds.length);
  let next = 0;
  const worker = async () => {
    while (next < options.sensorIds.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      results[index] = await loadOne(db, options.sensorIds[index]!, options);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, options.sensorIds.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const columns = new Map<string, DriftColumn>();
  for (const r of results) columns.set(r.info.sensorId, { kind: 'numeric', values: r.column });
  const sensors = results.map((r) => r.info);
  return {
    columns,
    range: options.range,
    source: options.source ?? 'readings',
    sensors,
    totalRows: Math.max(0, ...sensors.map((s) => s.rows)),
    sampled: sensors.some((s) => s.sampled),
  };
}

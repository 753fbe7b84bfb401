/**
 * One window of sensor_readings (or of the hourly aggregates) as a drift
 * dataset: one numeric column per sensor. Each sensor's values stream out of
 * Postgres through `COPY (select value … order by ts) TO STDOUT (FORMAT
 * binary)` straight into a Float64Array (or a seeded reservoir with
 * `sample`), so ten sensors × a million readings never become row objects.
 * Sensors load in parallel, a few connections at a time; the (sensor_id, ts)
 * primary key serves each query and its order, so a seeded sample depends on
 * the data only. A window may be several ranges (a seasonal reference).
 *
 * With `quality` the timestamps come too (epoch ms beside each value) and
 * each sensor's series is summarised while streaming for the data-quality
 * signals (gaps, flat lines, range, missing rate); with `keepTimes` they are
 * kept for the time-aligned multivariate checks.
 */
import type { Writable } from 'node:stream';
import { usageError } from '../../errors.js';
import type { Db, DbClient, Queryable } from '../../db/db.js';
import { copyReadingValues, copyTimedReadings } from '../../db/queries/sensor-readings.js';
import { copyHourlyAverages, copyTimedHourlyAverages } from '../../db/queries/sensor-readings-hourly.js';
import { type SeriesSummary, SeriesSummarizer } from '../quality/series-summary.js';
import { RowCopyParser } from './row-copy-parser.js';
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
  /** The window, or `ranges` when it is several (a seasonal reference); `range` labels it. */
  range: TimeRange;
  ranges?: readonly TimeRange[];
  /** Read timestamps too and summarise each series for the quality signals. */
  quality?: boolean;
  /** Keep each sensor's timestamps (epoch ms) for time alignment. */
  keepTimes?: boolean;
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
  ranges: readonly TimeRange[];
  source: WindowSource;
  sensors: SensorWindowColumn[];
  /** Per sensor, with `quality`. */
  summaries?: Map<string, SeriesSummary>;
  /** Per sensor (epoch ms, aligned with the values), with `keepTimes` and no sample. */
  times?: Map<string, Float64Array>;
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
function copyWindow(
  client: DbClient,
  sensorId: string,
  ranges: readonly TimeRange[],
  source: WindowSource,
  sink: Writable,
) {
  return source === 'hourly'
    ? copyHourlyAverages(client, sensorId, ranges, sink)
    : copyReadingValues(client, sensorId, ranges, sink);
}

/** The same with the time (epoch ms) before each value. */
function copyTimedWindow(
  client: DbClient,
  sensorId: string,
  ranges: readonly TimeRange[],
  source: WindowSource,
  sink: Writable,
) {
  return source === 'hourly'
    ? copyTimedHourlyAverages(client, sensorId, ranges, sink)
    : copyTimedReadings(client, sensorId, ranges, sink);
}

interface Loaded {
  column: Float64Array;
  info: SensorWindowColumn;
  summary?: SeriesSummary;
  times?: Float64Array;
}

/** A stable per-sensor seed, so one sensor's sample does not depend on which others are compared. */
function sensorSeed(seed: number, sensorId: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < sensorId.length; i++) h = Math.imul(h ^ sensorId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function loadOne(db: Db, sensorId: string, options: SensorWindowOptions): Promise<Loaded> {
  const source = options.source ?? 'readings';
  const ranges = options.ranges ?? [options.range];
  const reservoir = options.sample
    ? new Reservoir(options.sample.size, sensorSeed(options.sample.seed, sensorId))
    : undefined;
  const values = reservoir ? undefined : new GrowableFloat64Array(1 << 12);
  if (options.quality || options.keepTimes) {
    const summarizer = options.quality ? new SeriesSummarizer(ranges) : undefined;
    const times = options.keepTimes && !reservoir ? new GrowableFloat64Array(1 << 12) : undefined;
    const parser = new RowCopyParser(['float8', 'float8'], (row) => {
      const t = row[0]!;
      const v = row[1]!;
      summarizer?.add(v, t);
      times?.push(t);
      if (reservoir) reservoir.add(v);
      else values!.push(v);
    });
    await db.withClient((client) => copyTimedWindow(client, sensorId, ranges, source, parser));
    const loaded = finish(sensorId, values, reservoir);
    return {
      ...loaded,
      ...(summarizer ? { summary: summarizer.result() } : {}),
      ...(times ? { times: times.toArray() } : {}),
    };
  }
  const parser = new FloatCopyParser((v) => (reservoir ? reservoir.add(v) : values!.push(v)));
  await db.withClient((client) => copyWindow(client, sensorId, ranges, source, parser));
  return finish(sensorId, values, reservoir);
}

function finish(sensorId: string, values: GrowableFloat64Array | undefined, reservoir: Reservoir | undefined): Loaded {
  if (reservoir) {
    const result = reservoir.result();
    return {
      column: result.values,
      info: { sensorId, rows: result.seen, kept: result.values.length, sampled: result.sampled },
    };
  }
  return { column: values!.toArray(), info: { sensorId, rows: values!.length, kept: values!.length, sampled: false } };
}

export async function loadSensorWindow(db: Db, options: SensorWindowOptions): Promise<SensorWindow> {
  if (options.sensorIds.length === 0) throw usageError('No sensors to load.');
  const results = new Array<Loaded>(options.sensorIds.length);
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
  const window: SensorWindow = {
    columns,
    range: options.range,
    ranges: options.ranges ?? [options.range],
    source: options.source ?? 'readings',
    sensors,
    totalRows: Math.max(0, ...sensors.map((s) => s.rows)),
    sampled: sensors.some((s) => s.sampled),
  };
  if (options.quality) window.summaries = new Map(results.map((r) => [r.info.sensorId, r.summary!]));
  if (options.keepTimes && !options.sample) window.times = new Map(results.map((r) => [r.info.sensorId, r.times!]));
  return window;
}

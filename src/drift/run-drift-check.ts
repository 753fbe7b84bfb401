/**
 * One drift check end to end, as `smx drift` runs it: load both windows (two
 * CSV files, sensor windows from Postgres, or a registered model's training
 * rows and a CSV of its features), compare them with the engine, add the
 * data-quality signals and (when asked) the multivariate checks, store the
 * run in drift_checks, publish `drift.detected` when asked, and write the
 * HTML report atomically. Returns everything as data; the CLI decides what to
 * print and the exit code.
 *
 * Time: `now` is the run's clock; `at` evaluates as if now were that instant
 * (backfills, tests), so `last:1h` and `seasonal:7d` are taken from there.
 */
import { compareDatasets } from './stats/compare.js';
import { loadDatasetPair } from './sources/csv-dataset.js';
import { type ColumnSeries, renderDriftHtml } from './report/report-html.js';
import { minMaxIndices, pick } from '../report/thin-series.js';
import type { CompareOptions, DriftDataset, DriftReport } from './types.js';
import type { Db } from '../db/db.js';
import type { EventBus, SmxEvent } from '../events/event-bus.js';
import type { DriftDetectedPayload } from '../events/drift-detected.js';
import { writeFileAtomic } from '../integrity/atomic-write.js';
import {
  loadSensorWindow,
  resolveSensors,
  type SensorSelection,
  type SensorWindow,
  type SensorWindowColumn,
  type WindowSource,
} from './sources/load-sensor-window.js';
import { parseTimeRange } from './sources/window-range.js';
import { recordDriftCheck } from './record-drift-check.js';
import { sampleDatasetRows } from './sources/sample-dataset-rows.js';
import type { CurrentSource } from './sources/load-model-current.js';
import { resolveReference } from './sources/resolve-reference.js';
import type { Season } from './sources/reference-spec.js';
import { DEFAULT_QUALITY_OPTIONS, type QualityOptions, qualitySignals } from './quality/quality-signals.js';
import { summarizeValues } from './quality/series-summary.js';
import { multivariateDrift, type MultivariateOptions } from './multivariate/multivariate-drift.js';
import { alignOnTime, type RowTable, rowTableOf } from './multivariate/row-table.js';
import { modelTrainingWindow } from './sources/model-training-window.js';
import {
  calibratedOptions,
  calibrationKey,
  poolFromRecords,
  recordCalibration,
} from './calibration/calibrated-check.js';
import { type CalibrationSettings, EffectPool } from './calibration/effect-pool.js';
import { recentCalibrationEffects } from '../db/queries/drift-checks.js';
import path from 'node:path';

export type DriftInput =
  | { kind: 'csv'; referencePath: string; currentPath: string; delimiter?: string }
  | {
      kind: 'sensors';
      selection: SensorSelection;
      current: string;
      /** A window, baseline:NAME, model:NAME[@V], seasonal:Nd|Nw (default: the window just before --current). */
      reference?: string;
      /** Keep only the reference's hours in the current window's phase. */
      season?: Season;
      source?: WindowSource;
      /** For model:NAME references. */
      modelsDir?: string;
    }
  /** A registered model's training rows (rebuilt from its frozen pipeline) vs a CSV of its features. */
  | {
      kind: 'model';
      model: string;
      modelsDir: string;
      current: CurrentSource;
      delimiter?: string;
      cwd: string;
      stateDir?: string;
      env?: NodeJS.ProcessEnv;
    };

export interface DriftCheckOptions {
  input: DriftInput;
  compare?: CompareOptions;
  /** Keep a seeded sample of at most `size` values per column (per side). */
  sample?: { size: number; seed: number };
  /** Store the run in drift_checks. */
  store: boolean;
  /** Publish drift.detected when the dataset drifted (implies store). */
  emit: boolean;
  /** Write the HTML report here (atomically). */
  reportPath?: string;
  /** Data-quality signals: on by default (false: off). */
  quality?: boolean | QualityOptions;
  /** Multivariate checks over the numeric columns (sensor windows aligned on time). */
  multivariate?: MultivariateOptions;
  /**
   * Calibrated effect floors (sensor windows): learned per column from the
   * checks stored before this one under the same key (subject, reference,
   * season, window length) — hourly cron runs, or a timeline over the past.
   */
  calibration?: CalibrationSettings;
  now: Date;
  /** Evaluate as if now were this instant (default `now`). */
  at?: Date;
  correlationId: string;
  signal?: AbortSignal;
}

/** The run's resources, opened on first use by their owner (the run context), who also closes them. */
export interface DriftCheckDeps {
  database(): Promise<Db>;
  bus(): Promise<EventBus>;
}

export interface WindowSummary {
  label: string;
  rows: number;
  totalRows: number;
  sampled: boolean;
  /** Per sensor, for database windows. */
  sensors?: SensorWindowColumn[];
  /** What the reader should know about how the window was built (model mode). */
  notes?: string[];
}

export interface DriftCheckResult {
  subject: string;
  report: DriftReport;
  reference: WindowSummary;
  current: WindowSummary;
  sample?: { size: number; seed: number };
  driftCheckId: number | null;
  event?: SmxEvent<DriftDetectedPayload>;
  reportPath?: string;
  timings: { loadMs: number; compareMs: number };
}

interface LoadedPair {
  subject: string;
  reference: DriftDataset;
  current: DriftDataset;
  /** Extras of sensor windows: series summaries and aligned rows. */
  sensorWindows?: { reference: SensorWindow; current: SensorWindow };
  referenceSummary: Omit<WindowSummary, 'rows' | 'totalRows' | 'sampled'>;
  currentSummary: Omit<WindowSummary, 'rows' | 'totalRows' | 'sampled'>;
}

async function loadModelPair(
  input: Extract<DriftInput, { kind: 'model' }>,
  options: DriftCheckOptions,
  deps: DriftCheckDeps,
): Promise<LoadedPair> {
  // Imported here: the pipeline stages pull in the learners (and TensorFlow.js), which the other modes never need.
  const { loadModel } = await import('../registry/load-model.js');
  const { loadModelReference, ordinalMaps } = await import('./sources/load-model-reference.js');
  const { loadModelCurrent } = await import('./sources/load-model-current.js');
  const model = await loadModel(input.modelsDir, input.model);
  // The current CSV first: a wrong header fails before the training data is rebuilt.
  const current = await loadModelCurrent(model, ordinalMaps(model), input.current, { delimiter: input.delimiter });
  const reference = await loadModelReference(model, {
    cwd: input.cwd,
    stateDir: input.stateDir,
    env: input.env,
    signal: options.signal,
    database: deps.database,
  });
  const sample = options.sample;
  return {
    subject: `model:${model.name}@${model.version}`,
    reference: sample ? sampleDatasetRows(reference.dataset, sample.size, sample.seed) : reference.dataset,
    current: sample ? sampleDatasetRows(current.dataset, sample.size, sample.seed + 1) : current.dataset,
    referenceSummary: { label: reference.label, ...(reference.notes.length ? { notes: reference.notes } : {}) },
    currentSummary: { label: current.label, ...(current.notes.length ? { notes: current.notes } : {}) },
  };
}

async function loadPair(options: DriftCheckOptions, deps: DriftCheckDeps): Promise<LoadedPair> {
  const input = options.input;
  if (input.kind === 'model') return loadModelPair(input, options, deps);
  if (input.kind === 'csv') {
    const pair = await loadDatasetPair(input.referencePath, input.currentPath, {
      delimiter: input.delimiter,
      columns: options.compare?.columns,
    });
    const sample = options.sample;
    return {
      subject: `csv:${path.basename(input.referencePath)}|${path.basename(input.currentPath)}`,
      reference: sample ? sampleDatasetRows(pair.reference, sample.size, sample.seed) : pair.reference,
      current: sample ? sampleDatasetRows(pair.current, sample.size, sample.seed + 1) : pair.current,
      referenceSummary: { label: input.referencePath },
      currentSummary: { label: input.currentPath },
    };
  }
  const db = await deps.database();
  const now = options.at ?? options.now;
  const current = parseTimeRange(input.current, now, '--current');
  const reference = await resolveReference(input.reference, input.season, current, now, {
    db: async () => db,
    modelWindow: (ref) => {
      if (!input.modelsDir) throw new Error('model:NAME references need modelsDir');
      return modelTrainingWindow(input.modelsDir, ref);
    },
  });
  const named = Boolean(input.selection.sensorIds?.length || input.selection.sensorType);
  const sensorIds = named || !reference.sensorIds ? await resolveSensors(db, input.selection) : reference.sensorIds;
  const source = input.source ?? reference.baseline?.source ?? 'readings';
  const quality = options.quality !== false;
  const keepTimes = Boolean(options.multivariate) || Boolean(options.reportPath);
  const common = { sensorIds, source, signal: options.signal, quality, keepTimes };
  // The two windows load one after the other: each already uses several connections.
  const referenceWindow = await loadSensorWindow(db, {
    ...common,
    range: { ...reference.ranges[0]!, label: reference.label },
    ranges: reference.ranges,
    sample: options.sample,
  });
  const currentWindow = await loadSensorWindow(db, {
    ...common,
    range: current,
    sample: options.sample && { ...options.sample, seed: options.sample.seed + 1 },
  });
  const what = named
    ? input.selection.sensorType
      ? `sensor-type:${input.selection.sensorType}`
      : `sensors:${sensorIds.join(',')}`
    : `baseline:${reference.baseline!.name}`;
  const notes = reference.baseline ? baselineNotes(reference.baseline.rowCounts, referenceWindow, input.season) : [];
  return {
    subject: source === 'hourly' ? `${what} (hourly avg)` : what,
    reference: referenceWindow,
    current: currentWindow,
    sensorWindows: { reference: referenceWindow, current: currentWindow },
    referenceSummary: {
      label: reference.label,
      sensors: referenceWindow.sensors,
      ...(notes.length ? { notes } : {}),
    },
    currentSummary: { label: current.label, sensors: currentWindow.sensors },
  };
}

/** A baseline read whole should hold what it held when it was set; retention may have dropped part of it. */
function baselineNotes(counts: Record<string, number>, window: SensorWindow, season: Season | undefined): string[] {
  if (season) return [];
  return window.sensors
    .filter((s) => counts[s.sensorId] !== undefined && s.rows < counts[s.sensorId]!)
    .map(
      (s) =>
        `${s.sensorId}: the baseline held ${counts[s.sensorId]} readings when it was set, ${s.rows} now (retention may have dropped part of its window)`,
    );
}

/** Quality signals per column: from the streamed summaries of sensor windows, or from the values of CSV columns. */
function qualityFor(pair: LoadedPair, report: DriftReport, options: QualityOptions) {
  const signals = [];
  for (const column of report.columns) {
    if (column.kind !== 'numeric') continue;
    const ref = columnValues(pair.reference, column.column);
    const cur = columnValues(pair.current, column.column);
    if (!ref || !cur) continue;
    const refSummary = pair.sensorWindows?.reference.summaries?.get(column.column) ?? summarizeValues(ref);
    const curSummary = pair.sensorWindows?.current.summaries?.get(column.column) ?? summarizeValues(cur);
    signals.push(...qualitySignals(column.column, refSummary, curSummary, cur, options));
  }
  return signals;
}

function columnValues(dataset: DriftDataset, name: string): Float64Array | undefined {
  const columns = dataset.columns instanceof Map ? dataset.columns : new Map(Object.entries(dataset.columns));
  const column = columns.get(name);
  return column?.kind === 'numeric' ? column.values : undefined;
}

/** Each numeric column's values in order, thinned to a few hundred points per window, for the report. */
function seriesFor(pair: LoadedPair, report: DriftReport): Map<string, ColumnSeries> {
  const out = new Map<string, ColumnSeries>();
  // Seasonal references (several windows as long as the current one) are drawn over the current window, hour on hour.
  const ranges = pair.sensorWindows?.reference.ranges ?? [];
  const current = pair.sensorWindows?.current.range;
  const span = current ? current.to.getTime() - current.from.getTime() : 0;
  const overlaid = ranges.length > 1 && ranges.every((r) => r.to.getTime() - r.from.getTime() === span);
  const overlay = (t: number) => {
    if (!overlaid || !current) return t;
    const range = ranges.find((r) => t >= r.from.getTime() && t < r.to.getTime());
    return range ? t - range.from.getTime() + current.from.getTime() : t;
  };
  for (const column of report.columns) {
    const ref = columnValues(pair.reference, column.column);
    const cur = columnValues(pair.current, column.column);
    if (!ref || !cur) continue;
    const windows = pair.sensorWindows;
    const refTimes = windows?.reference.times?.get(column.column);
    const curTimes = windows?.current.times?.get(column.column);
    if (windows && (!refTimes || !curTimes)) continue; // a sampled window has no times
    const thin = (values: Float64Array, x: (i: number) => number) => {
      const idx = minMaxIndices(values, 600);
      return { x: idx.map(x), y: pick(values, idx) };
    };
    out.set(column.column, {
      reference: thin(ref, (i) => (refTimes ? overlay(refTimes[i]!) : i)),
      current: thin(cur, (i) => curTimes?.[i] ?? ref.length + i),
      axis: windows ? 'time' : 'row',
    });
  }
  return out;
}

/** Rows for the multivariate checks: sensor windows aligned on the slowest sensor's usual interval. */
function rowsFor(pair: LoadedPair, side: 'reference' | 'current'): RowTable {
  const window = pair.sensorWindows?.[side];
  if (!window?.times) return rowTableOf(pair[side]);
  const series = window.sensors.map((s) => ({
    name: s.sensorId,
    times: window.times!.get(s.sensorId)!,
    values: window.columns.get(s.sensorId)!.values as Float64Array,
  }));
  const intervals = [...(pair.sensorWindows!.reference.summaries?.values() ?? [])].map(
    (s) => s.time?.usualIntervalMs ?? 0,
  );
  return alignOnTime(series, Math.max(1000, ...intervals));
}

export async function runDriftCheck(options: DriftCheckOptions, deps: DriftCheckDeps): Promise<DriftCheckResult> {
  const started = performance.now();
  const pair = await loadPair(options, deps);
  options.signal?.throwIfAborted();
  const loaded = performance.now();
  let compare = options.compare ?? {};
  let calibration: { pool: EffectPool; key: string } | undefined;
  if (options.calibration && pair.sensorWindows && options.input.kind === 'sensors') {
    const current = pair.sensorWindows.current.range;
    const key = calibrationKey({
      subject: pair.subject,
      reference: options.input.reference ?? 'preceding',
      ...(options.input.season ? { season: options.input.season } : {}),
      spanMs: current.to.getTime() - current.from.getTime(),
    });
    const db = await deps.database();
    const pool = poolFromRecords(
      new EffectPool(options.calibration),
      await recentCalibrationEffects(db, key, current.from, options.calibration.capacity),
    );
    calibration = { pool, key };
    compare = calibratedOptions(pool, [...pair.sensorWindows.current.columns.keys()], compare);
  }
  const report = compareDatasets(pair.reference, pair.current, compare);
  if (calibration) report.calibration = recordCalibration(calibration.pool, calibration.key, report);
  if (options.quality !== false) {
    const settings = typeof options.quality === 'object' ? options.quality : DEFAULT_QUALITY_OPTIONS;
    report.quality = qualityFor(pair, report, settings);
    report.qualityAlarm = report.quality.some((q) => q.alarm);
  }
  if (options.multivariate) {
    options.signal?.throwIfAborted();
    report.multivariate = multivariateDrift(rowsFor(pair, 'reference'), rowsFor(pair, 'current'), options.multivariate);
    report.multivariateDrift = report.multivariate.some((m) => m.drifted);
  }
  const compared = performance.now();

  let driftCheckId: number | null = null;
  let event: SmxEvent<DriftDetectedPayload> | undefined;
  if (options.store || options.emit) {
    options.signal?.throwIfAborted();
    const db = await deps.database();
    const bus = options.emit ? await deps.bus() : undefined;
    const recorded = await recordDriftCheck(db, bus, {
      subject: pair.subject,
      referenceDesc: pair.referenceSummary.label,
      currentDesc: pair.currentSummary.label,
      report,
      correlationId: options.correlationId,
      now: options.at ?? options.now,
      ...(pair.sensorWindows
        ? { windowFrom: pair.sensorWindows.current.range.from, windowTo: pair.sensorWindows.current.range.to }
        : {}),
    });
    driftCheckId = recorded.id;
    event = recorded.event;
  }

  if (options.reportPath) {
    const html = renderDriftHtml(report, {
      title: `Drift report: ${pair.subject}`,
      generatedAt: options.now.toISOString(),
      referenceLabel: pair.referenceSummary.label,
      currentLabel: pair.currentSummary.label,
      series: seriesFor(pair, report),
    });
    await writeFileAtomic(path.resolve(options.reportPath), html);
  }

  return {
    subject: pair.subject,
    report,
    reference: { ...pair.referenceSummary, ...report.reference },
    current: { ...pair.currentSummary, ...report.current },
    sample: options.sample,
    driftCheckId,
    event,
    reportPath: options.reportPath,
    timings: { loadMs: loaded - started, compareMs: compared - loaded },
  };
}

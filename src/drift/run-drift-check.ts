/**
 * One drift check end to end, as `smx drift` runs it: load both windows (two
 * CSV files, sensor windows from Postgres, or a registered model's training
 * rows and a CSV of its features), compare them with the engine,
 * store the run in drift_checks, publish `drift.detected` when asked, and
 * write the HTML report atomically. Returns everything as data; the CLI
 * decides what to print and the exit code.
 */
import { compareDatasets } from './stats/compare.js';
import { loadDatasetPair } from './sources/csv-dataset.js';
import { renderDriftHtml } from './report/report-html.js';
import type { CompareOptions, DriftDataset, DriftReport } from './types.js';
import type { Db } from '../db/db.js';
import type { EventBus, SmxEvent } from '../events/event-bus.js';
import type { DriftDetectedPayload } from '../events/drift-detected.js';
import { writeFileAtomic } from '../integrity/atomic-write.js';
import {
  loadSensorWindow,
  resolveSensors,
  type SensorSelection,
  type SensorWindowColumn,
  type WindowSource,
} from './sources/load-sensor-window.js';
import { parseTimeRange, precedingRange } from './sources/window-range.js';
import { recordDriftCheck } from './record-drift-check.js';
import { sampleDatasetRows } from './sources/sample-dataset-rows.js';
import type { CurrentSource } from './sources/load-model-current.js';
import path from 'node:path';

export type DriftInput =
  | { kind: 'csv'; referencePath: string; currentPath: string; delimiter?: string }
  | { kind: 'sensors'; selection: SensorSelection; current: string; reference?: string; source?: WindowSource }
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
  now: Date;
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
  const sensorIds = await resolveSensors(db, input.selection);
  const current = parseTimeRange(input.current, options.now, '--current');
  const reference = input.reference
    ? parseTimeRange(input.reference, options.now, '--reference')
    : precedingRange(current);
  const source = input.source ?? 'readings';
  const common = { sensorIds, source, signal: options.signal };
  // The two windows load one after the other: each already uses several connections.
  const referenceWindow = await loadSensorWindow(db, { ...common, range: reference, sample: options.sample });
  const currentWindow = await loadSensorWindow(db, {
    ...common,
    range: current,
    sample: options.sample && { ...options.sample, seed: options.sample.seed + 1 },
  });
  const what = input.selection.sensorType
    ? `sensor-type:${input.selection.sensorType}`
    : `sensors:${sensorIds.join(',')}`;
  return {
    subject: source === 'hourly' ? `${what} (hourly avg)` : what,
    reference: referenceWindow,
    current: currentWindow,
    referenceSummary: { label: reference.label, sensors: referenceWindow.sensors },
    currentSummary: { label: current.label, sensors: currentWindow.sensors },
  };
}

export async function runDriftCheck(options: DriftCheckOptions, deps: DriftCheckDeps): Promise<DriftCheckResult> {
  const started = performance.now();
  const pair = await loadPair(options, deps);
  options.signal?.throwIfAborted();
  const loaded = performance.now();
  const report = compareDatasets(pair.reference, pair.current, options.compare ?? {});
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
      now: options.now,
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

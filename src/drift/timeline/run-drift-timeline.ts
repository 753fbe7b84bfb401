/**
 * `smx drift timeline`: the period [from, to) cut into chunks, each checked
 * against its reference exactly as a one-off `smx drift --current CHUNK
 * --reference … --at CHUNK_END` would, in one streamed pass over the data.
 *
 * The readings of all sensors arrive in time order (one COPY per day, so each
 * sort stays small) into per-sensor buffers; a chunk is evaluated as soon as
 * the stream has passed its end, stored with the others of its day in one
 * insert, and the buffers are trimmed to the look-back the next chunks'
 * references still need (the previous chunk, or N days or weeks for a
 * seasonal reference). A pinned reference (a window, a baseline, a model's
 * training window) is read once before the pass. Running the same hours as
 * one-off checks reads every hour's windows again — 504 checks × (reference +
 * current) over three weeks; docs/benchmarks.md has the ratio.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../../db/db.js';
import { copyReadingsByTime } from '../../db/queries/sensor-readings.js';
import { insertTimelineChunks, recentCalibrationEffects } from '../../db/queries/drift-checks.js';
import { calibrationKey, poolFromRecords } from '../calibration/calibrated-check.js';
import { type CalibrationSettings, EffectPool } from '../calibration/effect-pool.js';
import { usageError } from '../../errors.js';
import { writeFileAtomic } from '../../integrity/atomic-write.js';
import { reportJson } from '../record-drift-check.js';
import { resolveSensors, type SensorSelection } from '../sources/load-sensor-window.js';
import {
  DAY_MS,
  parseReferenceSpec,
  rangesInPhase,
  type Season,
  seasonalRanges,
  seasonPeriodMs,
  describeRanges,
} from '../sources/reference-spec.js';
import { resolveReference } from '../sources/resolve-reference.js';
import { formatRange, type TimeRange } from '../sources/window-range.js';
import { RowCopyParser } from '../sources/row-copy-parser.js';
import { DEFAULT_QUALITY_OPTIONS, type QualityOptions } from '../quality/quality-signals.js';
import type { MultivariateOptions } from '../multivariate/multivariate-drift.js';
import type { CompareOptions, DriftReport } from '../types.js';
import { evaluateChunk } from './evaluate-chunk.js';
import { TimedBuffer } from './timed-buffer.js';
import type { TimelineChunk, TimelineResult } from './timeline-types.js';
import { renderTimelineHtml } from '../report/timeline-html.js';

export interface TimelineOptions {
  selection: SensorSelection;
  from: Date;
  to: Date;
  chunkMs: number;
  /** As `smx drift --reference` (default: the chunk before each chunk). */
  reference?: string;
  season?: Season;
  modelsDir?: string;
  compare?: CompareOptions;
  quality?: boolean | QualityOptions;
  multivariate?: MultivariateOptions;
  /**
   * Calibrated effect floors (calibration/effect-pool.ts): learned per column
   * from its own unflagged chunks; with `store`, the pool starts from the
   * chunks stored before `from` under the same key.
   */
  calibration?: CalibrationSettings;
  store: boolean;
  reportPath?: string;
  /** The run's clock (for reference windows written relative to now). */
  now: Date;
  signal?: AbortSignal;
  /** Called with each chunk as it is evaluated (progress, streaming output). */
  onChunk?: (chunk: TimelineChunk) => void;
  /** A fixed run id (tests); a fresh UUID otherwise. */
  runId?: string;
}

interface ReferencePlan {
  /** The reference ranges of one chunk. */
  ranges(chunk: TimeRange): TimeRange[];
  label(chunk: TimeRange, ranges: TimeRange[]): string;
  /** How far before a chunk its reference reaches (history references), 0 for a pinned one. */
  lookbackMs: number;
  /** A pinned reference's whole window, read once. */
  pinned?: { from: Date; to: Date };
  sensorIds?: string[];
}

async function planReference(db: Db, options: TimelineOptions): Promise<ReferencePlan> {
  const spec = parseReferenceSpec(options.reference);
  if (spec.kind === 'preceding') {
    if (options.season) throw usageError('--season needs a --reference to pick the hours from.');
    return {
      ranges: (c) => [{ from: new Date(c.from.getTime() - options.chunkMs), to: c.from, label: '' }],
      label: (_c, r) => `preceding chunk (${formatRange(r[0]!.from, r[0]!.to)})`,
      lookbackMs: options.chunkMs,
    };
  }
  if (spec.kind === 'seasonal') {
    if (options.season) throw usageError('--season does not apply to a seasonal:… reference (it already is one).');
    return {
      ranges: (c) => seasonalRanges(c, spec.periodMs, spec.count),
      label: (_c, r) => describeRanges(spec.text, r),
      lookbackMs: spec.periodMs * spec.count,
    };
  }
  // A pinned window: resolved once (as a one-off check would), its hours picked per chunk when --season is set.
  const probe = { from: options.from, to: new Date(options.from.getTime() + options.chunkMs), label: '' };
  const resolved = await resolveReference(options.reference, undefined, probe, options.now, {
    db: async () => db,
    modelWindow: async (ref) => {
      if (!options.modelsDir) throw usageError('model:NAME references need the models directory.');
      const { modelTrainingWindow } = await import('../sources/model-training-window.js');
      return modelTrainingWindow(options.modelsDir, ref);
    },
  });
  const base = resolved.ranges[0]!;
  const prefix = resolved.label.replace(/ \(.*$/, '');
  const season = options.season;
  return {
    ranges: (c) => (season ? rangesInPhase(c, base, seasonPeriodMs(season)) : [base]),
    label: (_c, r) => (season ? describeRanges(`${prefix}, ${season}`, r) : resolved.label),
    lookbackMs: 0,
    pinned: { from: base.from, to: base.to },
    ...(resolved.sensorIds ? { sensorIds: resolved.sensorIds } : {}),
  };
}

/** Streams [from, to) of these sensors, a day per COPY, into the buffers; `afterSlice` runs after each day. */
async function streamReadings(
  db: Db,
  sensorIds: readonly string[],
  range: { from: Date; to: Date },
  buffers: ReadonlyMap<string, TimedBuffer>,
  afterSlice: (sliceEnd: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  const byIndex = sensorIds.map((id) => buffers.get(id)!);
  let rows = 0;
  for (let t = range.from.getTime(); t < range.to.getTime(); t += DAY_MS) {
    signal?.throwIfAborted();
    const sliceEnd = Math.min(t + DAY_MS, range.to.getTime());
    const parser = new RowCopyParser(['int4', 'float8', 'float8'], (row) => {
      byIndex[row[0]! - 1]!.push(row[1]!, row[2]!);
    });
    await db.withClient((client) =>
      copyReadingsByTime(client, sensorIds, { from: new Date(t), to: new Date(sliceEnd) }, parser),
    );
    rows += parser.count;
    await afterSlice(sliceEnd);
  }
  return rows;
}

export async function runDriftTimeline(db: Db, options: TimelineOptions): Promise<TimelineResult> {
  if (!(options.chunkMs >= 60_000)) throw usageError('--chunk must be at least 1m.');
  if (!(options.to > options.from)) throw usageError('--to must be after --from.');
  const count = Math.ceil((options.to.getTime() - options.from.getTime()) / options.chunkMs);
  if (count > 100_000) throw usageError(`${count} chunks are too many; use a longer --chunk or a shorter period.`);
  const started = performance.now();
  const plan = await planReference(db, options);
  const named = Boolean(options.selection.sensorIds?.length || options.selection.sensorType);
  const sensorIds = named || !plan.sensorIds ? await resolveSensors(db, options.selection) : plan.sensorIds;
  const subject = options.selection.sensorType
    ? `sensor-type:${options.selection.sensorType}`
    : `sensors:${sensorIds.join(',')}`;
  const runId = options.runId ?? randomUUID();
  const quality =
    options.quality === false ? false : typeof options.quality === 'object' ? options.quality : DEFAULT_QUALITY_OPTIONS;

  let calibration: { pool: EffectPool; key: string } | undefined;
  if (options.calibration) {
    const key = calibrationKey({
      subject,
      reference: options.reference ?? 'preceding',
      ...(options.season ? { season: options.season } : {}),
      spanMs: options.chunkMs,
    });
    const pool = new EffectPool(options.calibration);
    if (options.store)
      poolFromRecords(pool, await recentCalibrationEffects(db, key, options.from, options.calibration.capacity));
    calibration = { pool, key };
  }

  const buffers = new Map(sensorIds.map((id) => [id, new TimedBuffer()]));
  let referenceBuffers: ReadonlyMap<string, TimedBuffer> = buffers;
  let rowsRead = 0;
  if (plan.pinned) {
    const pinned = new Map(sensorIds.map((id) => [id, new TimedBuffer()]));
    rowsRead += await streamReadings(db, sensorIds, plan.pinned, pinned, async () => undefined, options.signal);
    referenceBuffers = pinned;
  }
  const loaded = performance.now();

  const chunks: TimelineChunk[] = [];
  let pending: TimelineChunk[] = [];
  let next = 0;
  let evaluateMs = 0;
  let storeMs = 0;
  const chunkAt = (k: number): TimeRange => {
    const from = new Date(options.from.getTime() + k * options.chunkMs);
    const to = new Date(Math.min(from.getTime() + options.chunkMs, options.to.getTime()));
    return { from, to, label: formatRange(from, to) };
  };
  const flush = async () => {
    if (!options.store || pending.length === 0) return;
    const t0 = performance.now();
    const ids = await insertTimelineChunks(
      db,
      runId,
      subject,
      pending.map((c) => ({
        windowFrom: c.from,
        windowTo: c.to,
        referenceDesc: c.reference,
        drifted: c.datasetDrift,
        shareDrifted: c.shareDrifted,
        reportJson: reportJson(c as unknown as DriftReport),
      })),
    );
    pending.forEach((c, i) => (c.id = ids[i]));
    pending = [];
    storeMs += performance.now() - t0;
  };
  const afterSlice = async (sliceEnd: number) => {
    const t0 = performance.now();
    while (next < count && chunkAt(next).to.getTime() <= sliceEnd) {
      const chunk = chunkAt(next);
      const ranges = plan.ranges(chunk);
      const evaluated = evaluateChunk({
        from: chunk.from,
        to: chunk.to,
        referenceRanges: ranges,
        referenceLabel: plan.label(chunk, ranges),
        sensorIds,
        buffers,
        referenceBuffers,
        compare: options.compare ?? {},
        quality,
        ...(options.multivariate ? { multivariate: options.multivariate } : {}),
        ...(calibration ? { calibration } : {}),
      });
      chunks.push(evaluated);
      pending.push(evaluated);
      options.onChunk?.(evaluated);
      next++;
    }
    // Keep what the next chunk and its reference can still reach.
    const keepFrom = options.from.getTime() + next * options.chunkMs - plan.lookbackMs;
    for (const b of buffers.values()) b.evictBefore(keepFrom);
    evaluateMs += performance.now() - t0;
    await flush();
  };
  rowsRead += await streamReadings(
    db,
    sensorIds,
    { from: new Date(options.from.getTime() - plan.lookbackMs), to: options.to },
    buffers,
    afterSlice,
    options.signal,
  );
  await flush();

  const result: TimelineResult = {
    runId,
    subject,
    sensorIds,
    from: options.from,
    to: options.to,
    chunkMs: options.chunkMs,
    referenceText: `${options.reference ?? 'preceding chunk'}${options.season ? ` (${options.season})` : ''}`,
    driftShare: options.compare?.driftShare ?? 0.5,
    chunks,
    rowsRead,
    stored: options.store,
    timings: { loadMs: loaded - started, evaluateMs, storeMs },
  };
  if (options.reportPath) {
    await writeFileAtomic(
      path.resolve(options.reportPath),
      renderTimelineHtml(result, { generatedAt: options.now.toISOString() }),
    );
    result.reportPath = options.reportPath;
  }
  return result;
}

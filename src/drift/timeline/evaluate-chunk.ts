/**
 * One timeline chunk: the sensors' readings in [from, to) against their
 * readings in the chunk's reference ranges, through the same engine as a
 * one-off `smx drift` (compareDatasets, the quality signals, optionally the
 * multivariate checks), then cut down to what the timeline shows. Pure: the
 * buffers and ranges come in.
 */
import { compareDatasets } from '../stats/compare.js';
import { DEFAULT_QUALITY_OPTIONS, type QualityOptions, qualitySignals } from '../quality/quality-signals.js';
import { SeriesSummarizer } from '../quality/series-summary.js';
import { multivariateDrift, type MultivariateOptions } from '../multivariate/multivariate-drift.js';
import { alignOnTime } from '../multivariate/row-table.js';
import type { CompareOptions, DriftColumn, DriftReport } from '../types.js';
import { calibratedOptions, recordCalibration } from '../calibration/calibrated-check.js';
import type { EffectPool } from '../calibration/effect-pool.js';
import type { TimedBuffer } from './timed-buffer.js';
import type { TimelineChunk, TimelineColumn } from './timeline-types.js';

export interface ChunkInput {
  from: Date;
  to: Date;
  referenceRanges: ReadonlyArray<{ from: Date; to: Date }>;
  referenceLabel: string;
  sensorIds: readonly string[];
  /** Per sensor, the chunk's readings; the reference's come from `referenceBuffers` (the same buffers unless pinned). */
  buffers: ReadonlyMap<string, TimedBuffer>;
  referenceBuffers: ReadonlyMap<string, TimedBuffer>;
  compare: CompareOptions;
  quality: QualityOptions | false;
  multivariate?: MultivariateOptions;
  /** Calibrated effect floors: the pool (updated with this chunk) and its key. */
  calibration?: { pool: EffectPool; key: string };
}

interface Side {
  values: Float64Array;
  times: Float64Array;
}

function gather(buffer: TimedBuffer | undefined, ranges: ReadonlyArray<{ from: Date; to: Date }>): Side {
  if (!buffer) return { values: new Float64Array(0), times: new Float64Array(0) };
  const parts = ranges.map((r) => buffer.slice(r.from.getTime(), r.to.getTime()));
  const n = parts.reduce((s, p) => s + p.values.length, 0);
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    times.set(p.times, at);
    at += p.values.length;
  }
  return { values, times };
}

function summarize(side: Side, ranges: ReadonlyArray<{ from: Date; to: Date }>) {
  const s = new SeriesSummarizer(ranges);
  for (let i = 0; i < side.values.length; i++) s.add(side.values[i]!, side.times[i]!);
  return s.result();
}

export function compactColumns(report: DriftReport): TimelineColumn[] {
  return report.columns.map((c) => {
    const n = c.numeric;
    return {
      column: c.column,
      status: c.status,
      test: c.test,
      statistic: c.statistic,
      score: c.score,
      scoreKind: c.scoreKind,
      threshold: c.threshold,
      drifted: c.drifted,
      effect: c.effect?.value ?? (c.test === 'wasserstein' ? (n?.wassersteinScore ?? null) : null),
      effectFloor: c.effect?.floor ?? null,
      spread: c.effect?.spread?.value ?? null,
      mean: n ? n.current.mean : null,
      referenceMean: n ? n.reference.mean : null,
      referenceLow: n ? n.reference.mean - 2 * n.reference.std : null,
      referenceHigh: n ? n.reference.mean + 2 * n.reference.std : null,
      currentCount: c.currentCount,
      referenceCount: c.referenceCount,
      ...(c.note ? { note: c.note } : {}),
    };
  });
}

export function evaluateChunk(input: ChunkInput): TimelineChunk {
  const chunkRange = [{ from: input.from, to: input.to }];
  const current = new Map<string, Side>();
  const reference = new Map<string, Side>();
  for (const id of input.sensorIds) {
    current.set(id, gather(input.buffers.get(id), chunkRange));
    reference.set(id, gather(input.referenceBuffers.get(id), input.referenceRanges));
  }
  const columns = (sides: Map<string, Side>) =>
    new Map<string, DriftColumn>([...sides].map(([id, s]) => [id, { kind: 'numeric', values: s.values }]));
  const compare = input.calibration
    ? calibratedOptions(input.calibration.pool, input.sensorIds, input.compare)
    : input.compare;
  const report = compareDatasets({ columns: columns(reference) }, { columns: columns(current) }, compare);
  if (input.calibration) report.calibration = recordCalibration(input.calibration.pool, input.calibration.key, report);
  const qualityAlarms = [];
  if (input.quality) {
    for (const id of input.sensorIds) {
      const cur = current.get(id)!;
      const signals = qualitySignals(
        id,
        summarize(reference.get(id)!, input.referenceRanges),
        summarize(cur, chunkRange),
        cur.values,
        input.quality ?? DEFAULT_QUALITY_OPTIONS,
      );
      qualityAlarms.push(...signals.filter((q) => q.alarm));
    }
  }
  const chunk: TimelineChunk = {
    from: input.from,
    to: input.to,
    reference: input.referenceLabel,
    status: report.status,
    datasetDrift: report.datasetDrift,
    shareDrifted: report.shareDrifted,
    driftedColumns: report.driftedColumns,
    testedColumns: report.testedColumns,
    columns: compactColumns(report),
    qualityAlarms,
    ...(report.calibration ? { calibration: report.calibration } : {}),
  };
  if (input.multivariate) {
    const rows = (sides: Map<string, Side>) =>
      alignOnTime(
        [...sides].map(([name, s]) => ({ name, times: s.times, values: s.values })),
        input.multivariate?.alignMs ?? 60_000,
      );
    chunk.multivariate = multivariateDrift(rows(reference), rows(current), input.multivariate);
  }
  return chunk;
}

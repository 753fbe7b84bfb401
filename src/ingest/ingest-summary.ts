import type { BatchRecord } from '../db/queries/ingest-batches.js';
import type { IngestCounts } from './ingest-stream.js';

/** What `smx ingest` reports (its --json result). */
export interface IngestSummary {
  batchId: number;
  idempotencyKey: string;
  /**
   * `duplicate`: this key was loaded before; nothing was inserted and the first run is reported.
   * `failed`: stopped past --max-rejects (as ingest_batches records it); the rows read before the stop are committed.
   */
  status: 'committed' | 'duplicate' | 'failed';
  rowsRead: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  blankLines: number;
  emptyCells: number;
  ignoredColumns: string[];
  batches: number;
  seconds: number;
  rowsPerSecond: number;
  rejectsFile: string | null;
  /** `sha256:<hex>` of the input, when it was read to the end. */
  contentHash?: string;
  /** A resumed key: rows stored by its earlier, unfinished attempts (not counted again in `duplicates`). */
  earlierInserted?: number;
  redis: 'ok' | 'degraded' | 'not configured';
  workers: number;
  firstRun?: { batchId: number; startedAt: Date; finishedAt: Date | null; rowsInserted: number };
}

const firstRunOf = (record: BatchRecord): NonNullable<IngestSummary['firstRun']> => ({
  batchId: record.batchId,
  startedAt: record.startedAt,
  finishedAt: record.finishedAt,
  rowsInserted: record.rowsInserted,
});

/** A run that loaded nothing because `record`, a committed run, already holds its key. */
export function duplicateSummary(record: BatchRecord, redis: IngestSummary['redis'], workers: number): IngestSummary {
  return {
    batchId: record.batchId,
    idempotencyKey: record.idempotencyKey,
    status: 'duplicate',
    rowsRead: 0,
    inserted: 0,
    duplicates: 0,
    rejected: 0,
    blankLines: 0,
    emptyCells: 0,
    ignoredColumns: [],
    batches: 0,
    seconds: 0,
    rowsPerSecond: 0,
    rejectsFile: null,
    redis,
    workers,
    firstRun: firstRunOf(record),
  };
}

/** A run whose content turned out to be loaded already by `first` (stdin without a key): its counts, the first run's batch. */
export function repeatedContentSummary(summary: IngestSummary, key: string, first: BatchRecord): IngestSummary {
  return { ...summary, status: 'duplicate', idempotencyKey: key, batchId: first.batchId, firstRun: firstRunOf(first) };
}

/** The summary of a run from its counts (none when the load failed before counting: then only its rejects count). */
export function runSummary(
  run: {
    batchId: number;
    key: string;
    workers: number;
    seconds: number;
    redis: IngestSummary['redis'];
    /** Rows this key stored before this run (a resumed key). */
    earlierInserted: number;
    contentHash: string | undefined;
  },
  counts: IngestCounts | undefined,
  rejects: { count: number; path: string },
): IngestSummary {
  const base = counts ?? {
    rowsRead: 0,
    inserted: 0,
    duplicates: 0,
    rejected: rejects.count,
    batches: 0,
    blankLines: 0,
    emptyCells: 0,
    ignoredColumns: [],
  };
  return {
    batchId: run.batchId,
    idempotencyKey: run.key,
    status: 'committed',
    rowsRead: base.rowsRead,
    inserted: base.inserted,
    // Rows an earlier attempt of this key stored are in `earlierInserted`, not duplicates of this run.
    duplicates: Math.max(0, base.duplicates - run.earlierInserted),
    rejected: base.rejected,
    blankLines: base.blankLines,
    emptyCells: base.emptyCells,
    ignoredColumns: base.ignoredColumns,
    batches: base.batches,
    seconds: Math.round(run.seconds * 1000) / 1000,
    rowsPerSecond: Math.round(base.rowsRead / Math.max(run.seconds, 1e-9)),
    rejectsFile: rejects.count ? rejects.path : null,
    ...(run.contentHash ? { contentHash: run.contentHash } : {}),
    ...(run.earlierInserted ? { earlierInserted: run.earlierInserted } : {}),
    redis: run.redis,
    workers: run.workers,
  };
}

import type { Db } from '../db/db.js';
import { SmxError, isConnectionError, unavailableError } from '../errors.js';
import { CopyBatch } from './copy-batch.js';
import { readLineBlocks } from './line-reader.js';
import { RowReader, type RowReaderOptions, type RowSink } from './row-reader.js';
import { newWriterMemory, prepareBatch, writeBatch, type WriterMemory } from './write-readings.js';
import { addBatchCounts } from '../db/queries/ingest-batches.js';
import type { RejectRecord } from './rejects-file.js';
import type { ValidRow } from './validate-reading.js';
import { withWriteRetry } from './write-retry.js';

export interface IngestStreamOptions extends RowReaderOptions {
  batchId: number;
  /** Rows per COPY and per commit. */
  batchRows: number;
  /** Connections writing batches at once (parsing goes on meanwhile). */
  workers: number;
  maxRejects: number;
  maxLineBytes: number;
  writeRejects(records: RejectRecord[]): Promise<void>;
  onProgress?(progress: IngestProgress): void;
  signal?: AbortSignal;
}

export interface IngestProgress {
  rowsRead: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  batches: number;
}

export interface IngestCounts extends IngestProgress {
  lines: number;
  blankLines: number;
  emptyCells: number;
  ignoredColumns: string[];
  directBatches: number;
  /** Set when the run stopped past --max-rejects: the line of the reject that crossed the limit. */
  stoppedAtLine?: number;
}

/**
 * The streaming ingest: byte chunks → line blocks → validated rows into a
 * binary COPY batch → at most `workers` batches being written, each in its
 * own transaction (one commit per batch) together with the run's counters.
 * Memory is bounded by (workers + 1) batches and one input chunk.
 */
export async function ingestStream(
  db: Db,
  source: AsyncIterable<Buffer | string>,
  options: IngestStreamOptions,
): Promise<IngestCounts> {
  const counts: IngestCounts = {
    rowsRead: 0,
    inserted: 0,
    duplicates: 0,
    rejected: 0,
    batches: 0,
    lines: 0,
    blankLines: 0,
    emptyCells: 0,
    ignoredColumns: [],
    directBatches: 0,
  };
  const memory = newWriterMemory();
  const reader = new RowReader(options);
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  // The first batches are smaller (1/8 of batchRows, doubling) so PostgreSQL starts copying while the
  // rest of the first full batch is still being parsed; memory stays bounded by batchRows.
  let target = Math.min(options.batchRows, Math.max(1000, Math.ceil(options.batchRows / 8)));
  let batch = new CopyBatch(options.batchId);
  let pendingRejects: RejectRecord[] = [];
  const sink: RowSink = {
    stopped: false,
    row(r: ValidRow) {
      if (sink.stopped) return; // a wide row's cells after the reject that stopped the run
      counts.rowsRead += 1;
      batch.add(r.sensorId, r.tsMicros, r.value, r.quality, r.sensorType, r.unit, r.metadata);
    },
    reject(line, raw, field, reason) {
      if (sink.stopped) return;
      counts.rowsRead += 1;
      counts.rejected += 1;
      pendingRejects.push({ line, raw, field, reason });
      if (counts.rejected > options.maxRejects) {
        counts.stoppedAtLine = line;
        sink.stopped = true;
      }
    },
  };

  const dispatch = async (full: CopyBatch) => {
    while (inflight.size >= options.workers) await Promise.race(inflight);
    if (failure) return;
    const task = writeOne(db, full, options.batchId, memory).then(
      (r) => {
        counts.inserted += r.inserted;
        counts.duplicates += r.duplicates;
        counts.batches += 1;
        if (r.path === 'direct' || r.path === 'partition') counts.directBatches += 1;
        options.onProgress?.(counts);
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked: Promise<void> = task.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };

  try {
    for await (const block of readLineBlocks(source, options.maxLineBytes)) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (failure) break;
      reader.consume(block, sink);
      if (pendingRejects.length) {
        await options.writeRejects(pendingRejects);
        pendingRejects = [];
      }
      if (sink.stopped) break;
      if (batch.rows >= target) {
        const bytesPerRow = batch.byteLength / batch.rows;
        await dispatch(batch);
        target = Math.min(options.batchRows, target * 2);
        // Sized from the last batch (plus a block's worth of slack), so the buffer is not regrown and copied.
        batch = new CopyBatch(options.batchId, Math.min(256 << 20, Math.ceil(bytesPerRow * target * 1.1) + (1 << 20)));
      }
      options.onProgress?.(counts);
      // Buffered input resolves the next block as a microtask, so without this the loop would parse on
      // and the writers' query replies (socket I/O) would wait: each of a batch's ~8 round trips then
      // costs a few blocks of parsing. Yielding once per block keeps the writers busy.
      if (inflight.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The rows read before a stop (rejects limit or end of input) are committed too.
    if (batch.rows > 0 && !failure && !options.signal?.aborted) await dispatch(batch);
  } finally {
    await Promise.allSettled(inflight);
  }
  if (failure) throw asSmxError(failure);
  if (options.signal?.aborted) throw options.signal.reason;
  counts.lines = reader.counts.lines;
  counts.blankLines = reader.counts.blankLines;
  counts.emptyCells = reader.counts.emptyCells;
  if (reader.layout?.kind === 'long') counts.ignoredColumns = reader.layout.ignored;
  return counts;
}

/** One batch in its own transaction with the run's counters, under ingest's retry policy (write-retry.ts). */
async function writeOne(db: Db, batch: CopyBatch, batchId: number, memory: WriterMemory) {
  return db.withClient((client) =>
    withWriteRetry(memory, async () => {
      await prepareBatch(client, batch, memory); // outside the data transaction: partition creation locks the table
      await client.query('begin');
      try {
        const result = await writeBatch(client, batch, { prepared: true });
        await addBatchCounts(client, batchId, result.inserted, result.duplicates);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
    }),
  );
}

function asSmxError(error: unknown): unknown {
  if (error instanceof SmxError) return error;
  if (isConnectionError(error)) {
    return unavailableError(`PostgreSQL went away during the load: ${(error as Error).message}.`, {
      hint: 'Batches committed so far are complete; run the same command again to finish the load (nothing is loaded twice).',
      cause: error,
    });
  }
  return error;
}

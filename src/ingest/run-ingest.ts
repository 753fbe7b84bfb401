import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import { SmxError, inputError, isSmxError, usageError } from '../errors.js';
import {
  adoptContentKey,
  claimBatch,
  failAbandonedProvisionalBatches,
  findBatch,
  finishBatch,
  lockKey,
  type BatchRecord,
} from '../db/queries/ingest-batches.js';
import { openDoneMarker } from './done-marker.js';
import { RejectsFile } from './rejects-file.js';
import { ingestStream, type IngestCounts, type IngestProgress } from './ingest-stream.js';
import type { RowReaderOptions } from './row-reader.js';

/** Default --max-rejects: enough to get through a few bad lines, few enough that a wrong file stops early. */
export const defaultMaxRejects = 1000;
export const defaultBatchRows = 100_000;
export const defaultMaxLineBytes = 1 << 20;

export interface IngestOptions extends RowReaderOptions {
  /** A path, or "-" for `stdin`. */
  input: string;
  stdin: Readable;
  idempotencyKey?: string;
  maxRejects?: number;
  rejectsPath?: string;
  workers?: number;
  batchRows?: number;
  maxLineBytes?: number;
  redisUrl?: string;
  redisPrefix?: string;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?(progress: IngestProgress & { bytesRead: number; totalBytes: number | undefined }): void;
}

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
  /** `sha256:<hex>` of the input. */
  contentHash?: string;
  /** A resumed key: rows stored by its earlier, unfinished attempts (not counted again in `duplicates`). */
  earlierInserted?: number;
  redis: 'ok' | 'degraded' | 'not configured';
  workers: number;
  firstRun?: { batchId: number; startedAt: Date; finishedAt: Date | null; rowsInserted: number };
}

async function sha256Of(source: AsyncIterable<Buffer | string>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

const sha256File = (file: string) => sha256Of(createReadStream(file, { highWaterMark: 1 << 20 }));

/**
 * A committed key met again. Keyed by content (no --idempotency-key) it is the
 * same input by definition. Under an explicit key the input must be the one
 * that key loaded: the same content is a duplicate (nothing to do), other
 * content is refused, since loading nothing would drop it silently.
 */
async function assertSameContent(record: BatchRecord, options: IngestOptions, fromStdin: boolean): Promise<void> {
  if (options.idempotencyKey === undefined) return;
  const loaded = record.contentHash ?? (record.idempotencyKey.startsWith('sha256:') ? record.idempotencyKey : null);
  if (loaded === null) {
    options.logger.warn(
      { batchId: record.batchId, key: record.idempotencyKey },
      'this key was loaded by a version of smx that kept no content hash; treating the input as the same',
    );
    return;
  }
  const given = await (fromStdin ? sha256Of(options.stdin) : sha256File(options.input));
  if (given === loaded) return;
  throw new SmxError(
    'CONFLICT',
    `Idempotency key ${JSON.stringify(record.idempotencyKey)} already loaded other content (batch ${record.batchId}, ${loaded}, from ${record.source}); this input is ${given}.`,
    {
      hint: 'Give new data a new --idempotency-key, or leave the flag out: the input is then keyed by its SHA-256.',
      details: { batchId: record.batchId, loaded, given },
    },
  );
}

function duplicateSummary(record: BatchRecord, redis: IngestSummary['redis'], workers: number): IngestSummary {
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
    firstRun: {
      batchId: record.batchId,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      rowsInserted: record.rowsInserted,
    },
  };
}

/**
 * `smx ingest`: idempotency (key or content hash, enforced by ingest_batches),
 * the streaming load, the rejects file and the summary. Throws
 * TOO_MANY_REJECTS (exit 3) past --max-rejects, with the summary in details.
 */
export async function runIngest(db: Db, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const workers = options.workers ?? 1;
  const fromStdin = options.input === '-';
  let totalBytes: number | undefined;
  if (!fromStdin) {
    const info = await stat(options.input).catch(() => undefined);
    if (!info?.isFile()) throw usageError(`Input file ${options.input} does not exist or is not a file.`);
    totalBytes = info.size;
  }
  const marker = await openDoneMarker(options.redisUrl, options.redisPrefix ?? 'smx:', options.logger);
  try {
    // The key: given, or the file's SHA-256; for stdin without a key, known only at the end.
    const key = options.idempotencyKey ?? (fromStdin ? undefined : await sha256File(options.input));
    if (key !== undefined) {
      const markedBatch = await marker.get(key);
      if (markedBatch !== undefined) {
        const record = await findBatch(db, { batchId: markedBatch });
        if (record?.status === 'committed' && record.idempotencyKey === key) {
          await assertSameContent(record, options, fromStdin);
          return duplicateSummary(record, marker.state(), workers);
        }
      }
    }
    return await db.withClient(async (session) => {
      const abandoned = await failAbandonedProvisionalBatches(session);
      if (abandoned.length)
        options.logger.warn({ batchIds: abandoned }, 'marked stdin runs that were killed before finishing as failed');
      const claimKey = key ?? `provisional:${randomUUID()}`;
      await lockKey(session, claimKey);
      try {
        const source = fromStdin ? 'stdin' : path.resolve(options.input);
        const claim = await claimBatch(session, claimKey, source);
        if (claim.kind === 'done') {
          await assertSameContent(claim.record, options, fromStdin);
          await marker.set(claimKey, claim.record.batchId);
          return duplicateSummary(claim.record, marker.state(), workers);
        }
        const batchId = claim.batchId;
        if (claim.kind === 'resumed')
          options.logger.info(
            { batchId, key: claimKey },
            'resuming an unfinished run with this key; rows already loaded are skipped',
          );
        const rejectsPath =
          options.rejectsPath ?? (fromStdin ? `smx-rejects-${batchId}.ndjson` : `${options.input}.rejects.ndjson`);
        const rejects = new RejectsFile(rejectsPath);
        // The content hash is kept with every run, so a key reused for other content is recognised.
        const hash = createHash('sha256');
        let bytesRead = 0;
        const input = fromStdin ? options.stdin : createReadStream(options.input, { highWaterMark: 1 << 18 });
        async function* counted(): AsyncGenerator<Buffer> {
          for await (const chunk of input as AsyncIterable<Buffer>) {
            bytesRead += chunk.length;
            hash.update(chunk);
            yield chunk;
          }
        }
        let counts: IngestCounts | undefined;
        let failure: unknown;
        try {
          counts = await ingestStream(db, counted(), {
            ...options,
            batchId,
            workers,
            batchRows: options.batchRows ?? defaultBatchRows,
            maxRejects: options.maxRejects ?? defaultMaxRejects,
            maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes,
            writeRejects: (records) => rejects.write(records),
            onProgress: (p) => options.onProgress?.({ ...p, bytesRead, totalBytes }),
          });
        } catch (error) {
          failure = error;
        } finally {
          input.destroy?.();
          await rejects.close();
        }
        const seconds = (performance.now() - started) / 1000;
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
        const earlierInserted = claim.kind === 'resumed' ? claim.rowsInsertedBefore : 0;
        const summary: IngestSummary = {
          batchId,
          idempotencyKey: claimKey,
          status: 'committed',
          rowsRead: base.rowsRead,
          inserted: base.inserted,
          // Rows an earlier attempt of this key stored are in `earlierInserted`, not duplicates of this run.
          duplicates: Math.max(0, base.duplicates - earlierInserted),
          rejected: base.rejected,
          blankLines: base.blankLines,
          emptyCells: base.emptyCells,
          ignoredColumns: base.ignoredColumns,
          batches: base.batches,
          seconds: Math.round(seconds * 1000) / 1000,
          rowsPerSecond: Math.round(base.rowsRead / Math.max(seconds, 1e-9)),
          rejectsFile: rejects.count ? rejectsPath : null,
          // Only a hash of the whole input names it (a stop past --max-rejects reads part of it).
          ...(failure || counts?.stoppedAtLine !== undefined ? {} : { contentHash: `sha256:${hash.digest('hex')}` }),
          ...(earlierInserted ? { earlierInserted } : {}),
          redis: marker.state(),
          workers,
        };
        if (failure) {
          await finishBatch(
            db,
            batchId,
            'failed',
            { rowsRead: summary.rowsRead, rejected: summary.rejected },
            { error: (failure as Error).message ?? failure },
          ).catch(() => undefined);
          if (isSmxError(failure) && failure.code === 'INTERRUPTED')
            throw await interrupted(db, failure, batchId, summary.inserted, fromStdin);
          throw locateInputError(failure, source);
        }
        if (counts!.stoppedAtLine !== undefined) {
          summary.status = 'failed';
          await finishBatch(
            db,
            batchId,
            'failed',
            summary,
            { ...summary, stoppedAtLine: counts!.stoppedAtLine },
            { allRowsWritten: true },
          );
          throw new SmxError(
            'TOO_MANY_REJECTS',
            `Stopped at line ${counts!.stoppedAtLine}: more than ${options.maxRejects ?? defaultMaxRejects} rejected rows (see ${rejectsPath}).`,
            {
              hint: 'Rows before that line are loaded. Fix the file (or raise --max-rejects) and run again: rows already loaded are skipped, none is loaded twice.',
              details: { summary: { ...summary, stoppedAtLine: counts!.stoppedAtLine } },
            },
          );
        }
        if (key === undefined) {
          const contentKey = summary.contentHash!;
          const first = await adoptContentKey(db, batchId, contentKey);
          await finishBatch(db, batchId, 'committed', summary, { ...summary }, { allRowsWritten: true });
          if (first)
            return {
              ...summary,
              status: 'duplicate',
              idempotencyKey: contentKey,
              batchId: first.batchId,
              firstRun: {
                batchId: first.batchId,
                startedAt: first.startedAt,
                finishedAt: first.finishedAt,
                rowsInserted: first.rowsInserted,
              },
            };
          summary.idempotencyKey = contentKey;
        } else {
          await finishBatch(db, batchId, 'committed', summary, { ...summary }, { allRowsWritten: true });
        }
        await marker.set(summary.idempotencyKey, batchId);
        summary.redis = marker.state();
        return summary;
      } finally {
        await session.query('select pg_advisory_unlock_all()').catch(() => undefined);
      }
    });
  } catch (error) {
    if (isSmxError(error) || !(error instanceof Error)) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(error.message);
    throw error;
  } finally {
    await marker.close();
  }
}

/**
 * Ctrl-C or SIGTERM: the batches committed before it stay (each is its own
 * transaction), the one being written was rolled back. Say how much is in and
 * how to finish, from the run's record (which counts committed batches only).
 */
async function interrupted(
  db: Db,
  error: SmxError,
  batchId: number,
  insertedThisRun: number,
  fromStdin: boolean,
): Promise<SmxError> {
  const record = await findBatch(db, { batchId }).catch(() => undefined);
  const signal = typeof error.details?.signal === 'string' ? error.details.signal : 'a signal';
  const committed = record?.rowsInserted ?? insertedThisRun;
  return new SmxError(
    'INTERRUPTED',
    `Interrupted by ${signal}: batch ${batchId} has ${committed} readings committed; the batch being written when it came was rolled back, and the rest of the input was not read.`,
    {
      hint: fromStdin
        ? 'Feed the same input again with the same --idempotency-key (or none): readings already committed are skipped, none is loaded twice.'
        : 'Run the same command again to finish the load: readings already committed are skipped, none is loaded twice.',
      details: { batchId, committed, signal },
      cause: error,
    },
  );
}

/** A bad-input error from the stream, named with where it happened: `file:line: …` (or `file: …`). */
function locateInputError(error: unknown, source: string): unknown {
  if (!(error instanceof SmxError) || error.code !== 'BAD_INPUT') return error;
  const line = typeof error.details?.line === 'number' ? `:${error.details.line}` : '';
  return new SmxError(error.code, `${source}${line}: ${error.message}`, {
    hint: error.hint,
    details: error.details,
    cause: error,
  });
}

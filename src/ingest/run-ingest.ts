import { createHash, randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Cache } from '../cache/cache.js';
import type { Db, DbClient } from '../db/db.js';
import {
  adoptContentKey,
  claimBatch,
  failAbandonedProvisionalBatches,
  findBatch,
  finishBatch,
  lockKey,
  unlockKeys,
  type BatchRecord,
} from '../db/queries/ingest-batches.js';
import { SmxError, inputError, isSmxError, usageError } from '../errors.js';
import { HashFileError, hashFile } from '../integrity/hash-file.js';
import type { Logger } from '../log.js';
import { openDoneMarker, type DoneMarker } from './done-marker.js';
import type { IngestProgress } from './ingest-stream.js';
import { duplicateSummary, repeatedContentSummary, runSummary, type IngestSummary } from './ingest-summary.js';
import { loadInput } from './load-input.js';
import type { RowReaderOptions } from './row-reader.js';

export type { IngestSummary } from './ingest-summary.js';

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
  /**
   * The cache for done markers, opened on first use (the run context's, when
   * Redis is configured); absent: no fast path. Failing to open it degrades the
   * run, it does not fail it (done-marker.ts).
   */
  markerCache?: () => Promise<Cache>;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?(progress: IngestProgress & { bytesRead: number; totalBytes: number | undefined }): void;
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
  const marker = await openDoneMarker(options.markerCache, options.logger);
  try {
    // The key: given, or the file's SHA-256; for stdin without a key, known only at the end.
    const key =
      options.idempotencyKey ??
      (fromStdin ? undefined : `sha256:${(await hashFile(await realpath(options.input), 'sha256')).digest}`);
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
        return await claimAndLoad(db, session, { ...options, workers, totalBytes, started }, claimKey, key, marker);
      } finally {
        await unlockKeys(session).catch(() => undefined);
      }
    });
  } catch (error) {
    if (isSmxError(error) || !(error instanceof Error)) throw error;
    if (error instanceof HashFileError) throw inputError(`Input file ${options.input} ${error.message}.`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(error.message);
    throw error;
  }
}

/** With the key locked: claim it (or find it done), load, and record how the run ended. */
async function claimAndLoad(
  db: Db,
  session: DbClient,
  options: IngestOptions & { workers: number; totalBytes: number | undefined; started: number },
  claimKey: string,
  key: string | undefined,
  marker: DoneMarker,
): Promise<IngestSummary> {
  const fromStdin = options.input === '-';
  const source = fromStdin ? 'stdin' : path.resolve(options.input);
  const claim = await claimBatch(session, claimKey, source);
  if (claim.kind === 'done') {
    await assertSameContent(claim.record, options, fromStdin);
    await marker.set(claimKey, claim.record.batchId);
    return duplicateSummary(claim.record, marker.state(), options.workers);
  }
  const batchId = claim.batchId;
  if (claim.kind === 'resumed')
    options.logger.info(
      { batchId, key: claimKey },
      'resuming an unfinished run with this key; rows already loaded are skipped',
    );
  const maxRejects = options.maxRejects ?? defaultMaxRejects;
  const loaded = await loadInput(db, {
    ...options,
    batchId,
    batchRows: options.batchRows ?? defaultBatchRows,
    maxRejects,
    maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes,
    rejectsPath:
      options.rejectsPath ?? (fromStdin ? `smx-rejects-${batchId}.ndjson` : `${options.input}.rejects.ndjson`),
  });
  const run = {
    batchId,
    key: claimKey,
    workers: options.workers,
    seconds: (performance.now() - options.started) / 1000,
    redis: marker.state(),
    earlierInserted: claim.kind === 'resumed' ? claim.rowsInsertedBefore : 0,
    contentHash: loaded.contentHash,
  };
  const summary = runSummary(run, loaded.counts, loaded.rejects);
  if (loaded.failure) {
    await finishBatch(
      db,
      batchId,
      'failed',
      { rowsRead: summary.rowsRead, rejected: summary.rejected },
      { error: (loaded.failure as Error).message ?? loaded.failure },
    ).catch(() => undefined);
    if (isSmxError(loaded.failure) && loaded.failure.code === 'INTERRUPTED')
      throw await interrupted(db, loaded.failure, batchId, summary.inserted, fromStdin);
    throw locateInputError(loaded.failure, source);
  }
  const stoppedAtLine = loaded.counts!.stoppedAtLine;
  if (stoppedAtLine !== undefined) {
    summary.status = 'failed';
    await finishBatch(db, batchId, 'failed', summary, { ...summary, stoppedAtLine }, { allRowsWritten: true });
    throw new SmxError(
      'TOO_MANY_REJECTS',
      `Stopped at line ${stoppedAtLine}: more than ${maxRejects} rejected rows (see ${loaded.rejects.path}).`,
      {
        hint: 'Rows before that line are loaded. Fix the file (or raise --max-rejects) and run again: rows already loaded are skipped, none is loaded twice.',
        details: { summary: { ...summary, stoppedAtLine } },
      },
    );
  }
  if (key === undefined) {
    // Stdin without a key: the content's hash becomes the key now that it is known.
    const contentKey = loaded.contentHash!;
    const first = await adoptContentKey(db, batchId, contentKey);
    await finishBatch(db, batchId, 'committed', summary, { ...summary }, { allRowsWritten: true });
    if (first) return repeatedContentSummary(summary, contentKey, first);
    summary.idempotencyKey = contentKey;
  } else {
    await finishBatch(db, batchId, 'committed', summary, { ...summary }, { allRowsWritten: true });
  }
  await marker.set(summary.idempotencyKey, batchId);
  summary.redis = marker.state();
  return summary;
}

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
  const given = fromStdin
    ? await sha256Of(options.stdin)
    : `sha256:${(await hashFile(await realpath(options.input), 'sha256')).digest}`;
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

async function sha256Of(source: AsyncIterable<Buffer | string>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
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

import { randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Cache } from '../cache/cache.js';
import type { Db, DbClient } from '../db/db.js';
import {
  adoptContentKey,
  claimBatch,
  findBatch,
  finishBatch,
  lockKey,
  unlockKeys,
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
        if (record?.status === 'committed' && record.idempotencyKey === key)
          return duplicateSummary(record, marker.state(), workers);
      }
    }
    return await db.withClient(async (session) => {
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
    hashContent: key === undefined,
  });
  const run = {
    batchId,
    key: claimKey,
    workers: options.workers,
    seconds: (performance.now() - options.started) / 1000,
    redis: marker.state(),
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
    throw locateInputError(loaded.failure, source);
  }
  const stoppedAtLine = loaded.counts!.stoppedAtLine;
  if (stoppedAtLine !== undefined) {
    await finishBatch(db, batchId, 'failed', summary, { ...summary, stoppedAtLine });
    throw new SmxError(
      'TOO_MANY_REJECTS',
      `Stopped at line ${stoppedAtLine}: more than ${maxRejects} rejected rows (see ${loaded.rejects.path}).`,
      {
        hint: 'Rows before that line are loaded. Fix the file (or raise --max-rejects) and run again: rows already loaded are skipped, none is loaded twice.',
        details: { summary: { ...summary, stoppedAtLine } },
      },
    );
  }
  if (loaded.contentKey !== undefined) {
    const first = await adoptContentKey(db, batchId, loaded.contentKey);
    await finishBatch(db, batchId, 'committed', summary, { ...summary });
    if (first) return repeatedContentSummary(summary, loaded.contentKey, first);
    summary.idempotencyKey = loaded.contentKey;
  } else {
    await finishBatch(db, batchId, 'committed', summary, { ...summary });
  }
  await marker.set(summary.idempotencyKey, batchId);
  summary.redis = marker.state();
  return summary;
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

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Db } from '../db/db.js';
import { ingestStream, type IngestCounts, type IngestProgress, type IngestStreamOptions } from './ingest-stream.js';
import { RejectsFile } from './rejects-file.js';

export interface LoadInputOptions extends Omit<IngestStreamOptions, 'writeRejects' | 'onProgress'> {
  /** A path, or "-" for `stdin`. */
  input: string;
  stdin: Readable;
  rejectsPath: string;
  totalBytes: number | undefined;
  onProgress?(progress: IngestProgress & { bytesRead: number; totalBytes: number | undefined }): void;
}

export interface LoadedInput {
  /** Undefined when the load failed (then `failure` says why). */
  counts: IngestCounts | undefined;
  failure: unknown;
  rejects: { count: number; path: string };
  /**
   * `sha256:<hex>` of the input, when it was read to the end (not after a failure or a stop past
   * --max-rejects): every run keeps it, so a key reused for other content is recognised, and stdin
   * without a key takes it as its key.
   */
  contentHash: string | undefined;
}

/**
 * One run's load: the input (a file or stdin) counted and hashed as it
 * streams through ingestStream, its rejects into the rejects file. A failed
 * load is returned, not thrown, so the caller can record the run first; the
 * input is closed and the rejects file flushed either way.
 */
export async function loadInput(db: Db, options: LoadInputOptions): Promise<LoadedInput> {
  const rejects = new RejectsFile(options.rejectsPath);
  const hash = createHash('sha256');
  let bytesRead = 0;
  const input = options.input === '-' ? options.stdin : createReadStream(options.input, { highWaterMark: 1 << 18 });
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
      writeRejects: (records) => rejects.write(records),
      onProgress: (p) => options.onProgress?.({ ...p, bytesRead, totalBytes: options.totalBytes }),
    });
  } catch (error) {
    failure = error;
  } finally {
    input.destroy?.();
    await rejects.close();
  }
  return {
    counts,
    failure,
    rejects: { count: rejects.count, path: options.rejectsPath },
    contentHash: !failure && counts?.stoppedAtLine === undefined ? `sha256:${hash.digest('hex')}` : undefined,
  };
}

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashFile, HashFileError, type FileDigest, type HashAlgorithm } from './hash-file.js';
import type { HashRequest, HashResponse } from './hash-worker.js';

export interface HashJob {
  /** The key the result is stored under (a relative path). */
  key: string;
  absPath: string;
  /** From the walk; used to schedule the largest files first and to decide on worker threads. */
  size: number;
}

export type HashOutcome = FileDigest | HashFileError;

export interface HashManyOptions {
  algorithm: HashAlgorithm;
  signal?: AbortSignal;
  /** Parallel files (default: CPU count, at least 2). */
  concurrency?: number;
  /** Below this many bytes in all, hash on the main thread: starting workers would cost more than it saves. */
  workerThresholdBytes?: number;
}

/**
 * Hashes many files in parallel. Big trees go to worker threads (the hash itself is
 * CPU-bound, so the main thread alone would use one core); small ones are hashed
 * in-process with overlapping reads. Largest first, so one big artifact does not
 * start last and leave the other workers idle. Failures are returned per file.
 */
export async function hashMany(jobs: readonly HashJob[], options: HashManyOptions): Promise<Map<string, HashOutcome>> {
  const ordered = [...jobs].sort((a, b) => b.size - a.size);
  const totalBytes = ordered.reduce((sum, job) => sum + job.size, 0);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? Math.max(2, availableParallelism()), ordered.length));
  const useWorkers =
    concurrency > 1 && ordered.length > 1 && totalBytes >= (options.workerThresholdBytes ?? 64 * 1024 * 1024);
  return useWorkers
    ? hashInWorkers(ordered, concurrency, options)
    : hashInProcess(ordered, Math.min(concurrency, 4), options);
}

async function hashInProcess(
  jobs: HashJob[],
  concurrency: number,
  options: HashManyOptions,
): Promise<Map<string, HashOutcome>> {
  const results = new Map<string, HashOutcome>();
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      try {
        results.set(job.key, await hashFile(job.absPath, options.algorithm, options.signal));
      } catch (error) {
        if (!(error instanceof HashFileError)) throw error;
        results.set(job.key, error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

function hashInWorkers(
  jobs: HashJob[],
  concurrency: number,
  options: HashManyOptions,
): Promise<Map<string, HashOutcome>> {
  const results = new Map<string, HashOutcome>();
  const workers: Worker[] = [];
  return new Promise<Map<string, HashOutcome>>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const worker of workers) void worker.terminate();
      if (error === undefined) resolve(results);
      else reject(error);
    };
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'));
    const feed = (worker: Worker) => {
      if (next >= jobs.length) return;
      const id = next++;
      const job = jobs[id]!;
      worker.postMessage({ id, path: job.absPath, algorithm: options.algorithm } satisfies HashRequest);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    for (let i = 0; i < concurrency; i++) {
      const worker = new Worker(new URL('./hash-worker.js', import.meta.url));
      workers.push(worker);
      worker.on('error', finish);
      worker.on('message', (response: HashResponse) => {
        const job = jobs[response.id]!;
        if ('failure' in response) {
          if (response.failure.reason === 'error')
            return finish(new Error(`hashing ${job.key}: ${response.failure.message}`));
          results.set(job.key, new HashFileError(response.failure.reason, response.failure.message));
        } else {
          results.set(job.key, { digest: response.digest, size: response.size });
        }
        done += 1;
        if (done === jobs.length) finish();
        else feed(worker);
      });
      feed(worker);
    }
  });
}

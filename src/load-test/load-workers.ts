import { Worker } from 'node:worker_threads';
import type { ThreadOptions, ThreadResult } from './generate-load.js';

/**
 * Runs one share of a load test in each worker thread (load-worker.ts) and
 * collects their results. Aborting `signal` tells every worker to stop sending;
 * each still answers with what it measured, as a single thread does.
 */
export async function generateInWorkers(
  shares: readonly ThreadOptions[],
  signal?: AbortSignal,
): Promise<ThreadResult[]> {
  const workers = shares.map(
    (share) => new Worker(new URL('./load-worker.js', import.meta.url), { workerData: share }),
  );
  const stop = () => workers.forEach((w) => w.postMessage('stop'));
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.all(
      workers.map(
        (worker) =>
          new Promise<ThreadResult>((resolve, reject) => {
            worker.once('message', (result: ThreadResult) => resolve(result));
            worker.once('error', reject);
            worker.once('exit', (code) =>
              reject(new Error(`a load generator thread exited (code ${code}) without a result`)),
            );
          }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

import { Worker } from 'node:worker_threads';

/**
 * Runs one share of a load test in each worker thread (load-worker.ts) and
 * collects their results. Aborting `signal` tells every worker to stop sending;
 * each still answers with what it measured, as a single thread does. The share
 * and result types are generate-load.ts's ThreadOptions and ThreadResult (this
 * module imports neither it nor run-load-test.ts, which imports this).
 */
export async function generateInWorkers<Result>(shares: readonly object[], signal?: AbortSignal): Promise<Result[]> {
  const workers = shares.map(
    (share) => new Worker(new URL('./load-worker.js', import.meta.url), { workerData: share }),
  );
  const stop = () => workers.forEach((w) => w.postMessage('stop'));
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.all(
      workers.map(
        (worker) =>
          new Promise<Result>((resolve, reject) => {
            worker.once('message', (result: Result) => resolve(result));
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

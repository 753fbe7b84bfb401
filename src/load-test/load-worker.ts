import { parentPort, workerData } from 'node:worker_threads';
import { generateLoad, type LoadTestOptions } from './run-load-test.js';

// One generator thread of `smx loadtest --threads N`: its share of the connections and rate.
const controller = new AbortController();
parentPort!.on('message', (message) => {
  if (message === 'stop') controller.abort();
});
const result = await generateLoad({
  ...(workerData as Omit<LoadTestOptions, 'signal' | 'threads'>),
  signal: controller.signal,
});
parentPort!.postMessage(result);
parentPort!.close();

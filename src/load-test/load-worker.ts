import { parentPort, workerData } from 'node:worker_threads';
import { generateLoad, type ThreadOptions } from './generate-load.js';

// One generator thread of `smx loadtest --threads N`: its share of the connections and rate.
const controller = new AbortController();
parentPort!.on('message', (message) => {
  if (message === 'stop') controller.abort();
});
const result = await generateLoad({ ...(workerData as ThreadOptions), signal: controller.signal });
parentPort!.postMessage(result);
parentPort!.close();

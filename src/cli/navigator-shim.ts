import os from 'node:os';

/**
 * Node 21 and later define `navigator`; Node 20 does not. pg (8.x) asks
 * whether it runs in a Cloudflare Worker by reading navigator.userAgent and,
 * when navigator is missing, by constructing a fetch Response — which loads
 * undici, about 35 ms of every command's start (measured: `import('pg')` 88 ms
 * without, 53 ms with). The launcher imports this module first and gives
 * Node 20 the object later versions have.
 */
const scope = globalThis as { navigator?: unknown };
if (scope.navigator === undefined) {
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({
      userAgent: `Node.js/${process.versions.node.split('.')[0]}`,
      hardwareConcurrency: os.availableParallelism(),
      language: 'en-US',
      languages: Object.freeze(['en-US']),
      platform: process.platform,
    }),
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

import * as tf from '@tensorflow/tfjs';

/**
 * tfjs on its pure-JavaScript CPU backend: no native addon, identical results on
 * every machine, fast enough for the small forecasting networks here.
 *
 * The CPU backend prints a "looks like you are running TensorFlow.js in Node.js
 * … install our node backend" banner (console.warn) the first time it stores a
 * tensor. Library code must not print, so the backend's `firstUse` flag is
 * cleared before any tensor exists. This leaves tfjs's global PROD/debug flags
 * untouched for other users of tfjs in the same process. If a future tfjs
 * renames the flag, the only effect is that banner on stderr.
 */
export type Tf = typeof tf;

let ready: Promise<Tf> | undefined;

export function loadTf(): Promise<Tf> {
  ready ??= (async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    const backend = tf.backend() as unknown as { firstUse?: boolean };
    if (backend.firstUse === true) backend.firstUse = false;
    return tf;
  })();
  return ready;
}

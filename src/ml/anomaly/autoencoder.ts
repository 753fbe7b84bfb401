import type * as tfTypes from '@tensorflow/tfjs';
import { inputError } from '../../errors.js';
import { Random } from '../../random.js';
import { loadTf, type Tf } from '../forecast/tf-runtime.js';
import {
  buildNetwork,
  disposeNetwork,
  forward,
  getWeights,
  setWeights,
  trainableVariables,
  type Network,
  type NetworkConfig,
} from './autoencoder-network.js';

/**
 * A reconstruction detector over windows of standardised rows: trained to
 * reproduce normal windows (MSE, Adam, seeded batch order and dropout), with
 * early stopping on the latest `validationShare` of the fit windows (kept out
 * of training, in time order, as Keras' validation_split) and the best epoch's
 * weights kept. A window's score is SKAB's residual: Σ over features of the
 * mean over time of |x − x̂|. Identical seeds give identical models (tfjs CPU
 * backend, pure JavaScript).
 */
export interface AutoencoderConfig extends NetworkConfig {
  learningRate: number;
  maxEpochs: number;
  batchSize: number;
  patience: number;
  validationShare: number;
}

export interface TrainingHistory {
  trainLoss: number[];
  validationLoss: number[];
  bestEpoch: number;
}

export interface AutoencoderJson {
  kind: 'smx.autoencoder';
  version: 1;
  config: AutoencoderConfig;
  /** Per feature, from the fit rows (population std, 1 for a constant sensor). */
  scaler: { mean: number[]; std: number[] };
  weights: { shape: number[]; values: number[] }[];
  history: TrainingHistory;
}

export interface Autoencoder {
  config: AutoencoderConfig;
  scaler: { mean: number[]; std: number[] };
  net: Network;
  history: TrainingHistory;
  tf: Tf;
}

/** `windows`: n windows of window × features standardised values, row-major (window, then time, then feature). */
export async function fitAutoencoder(
  windows: Float32Array,
  n: number,
  config: AutoencoderConfig,
  scaler: Autoencoder['scaler'],
  signal?: AbortSignal,
): Promise<Autoencoder> {
  if (config.architecture === 'conv' && config.window % 4 !== 0)
    throw inputError(`a conv autoencoder needs a window that is a multiple of 4 rows, got ${config.window}`);
  const tf = await loadTf();
  const size = config.window * config.features;
  const nVal = Math.max(1, Math.round(n * config.validationShare));
  const nTrain = n - nVal;
  if (nTrain < 2) throw inputError(`an autoencoder needs more fit windows: ${n} windows of ${config.window} rows`);
  const net = buildNetwork(tf, config);
  const shape = (rows: number) =>
    config.architecture === 'conv' ? [rows, config.window, config.features] : [rows, size];
  const batch = (idx: ArrayLike<number>) => {
    const out = new Float32Array(idx.length * size);
    for (let i = 0; i < idx.length; i++) out.set(windows.subarray(idx[i]! * size, (idx[i]! + 1) * size), i * size);
    return tf.tensor(out, shape(idx.length));
  };
  const valIdx = Int32Array.from({ length: nVal }, (_, i) => nTrain + i);
  const optimizer = tf.train.adam(config.learningRate);
  const vars = trainableVariables(net);
  const rng = new Random(config.seed);
  const history: TrainingHistory = { trainLoss: [], validationLoss: [], bestEpoch: 0 };
  let best = Infinity;
  let bestWeights = getWeights(net);
  let sinceBest = 0;
  try {
    for (let epoch = 0; epoch < config.maxEpochs; epoch++) {
      signal?.throwIfAborted();
      const order = rng.permutation(nTrain);
      let sum = 0;
      for (let b = 0; b < nTrain; b += config.batchSize) {
        const xb = batch(order.subarray(b, Math.min(nTrain, b + config.batchSize)));
        const cost = optimizer.minimize(
          () =>
            tf.losses.meanSquaredError(
              xb,
              forward(tf, net, xb, { rate: config.dropout, rng }) as tfTypes.Tensor,
            ) as tfTypes.Scalar,
          true,
          vars,
        );
        sum += (cost?.dataSync()[0] ?? 0) * xb.shape[0]!;
        cost?.dispose();
        xb.dispose();
      }
      const xv = batch(valIdx);
      const val = tf.tidy(() => tf.losses.meanSquaredError(xv, forward(tf, net, xv, null)).dataSync()[0]!);
      xv.dispose();
      history.trainLoss.push(sum / nTrain);
      history.validationLoss.push(val);
      if (val < best - 1e-7) {
        best = val;
        history.bestEpoch = epoch;
        sinceBest = 0;
        bestWeights.forEach((t) => t.dispose());
        bestWeights = getWeights(net);
      } else if (++sinceBest >= config.patience) break;
    }
    setWeights(net, bestWeights);
  } catch (error) {
    disposeNetwork(net);
    throw error;
  } finally {
    bestWeights.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  return { config, scaler, net, history, tf };
}

/** SKAB's residual per window: Σ_f mean_t |x − x̂|. */
export function reconstructionErrors(ae: Autoencoder, windows: Float32Array, n: number): Float64Array {
  const { tf, config } = ae;
  const size = config.window * config.features;
  const out = new Float64Array(n);
  for (let b = 0; b < n; b += 1024) {
    const m = Math.min(n, b + 1024) - b;
    const x = windows.subarray(b * size, (b + m) * size);
    const shape = config.architecture === 'conv' ? [m, config.window, config.features] : [m, size];
    const y = tf.tidy(() => forward(tf, ae.net, tf.tensor(x, shape), null).dataSync() as Float32Array);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.abs(x[i * size + k]! - y[i * size + k]!);
      out[b + i] = s / config.window;
    }
  }
  return out;
}

export function saveAutoencoder(ae: Autoencoder): AutoencoderJson {
  return {
    kind: 'smx.autoencoder',
    version: 1,
    config: { ...ae.config, hidden: [...ae.config.hidden] },
    scaler: ae.scaler,
    weights: trainableVariables(ae.net).map((t) => ({ shape: [...t.shape], values: Array.from(t.dataSync()) })),
    history: ae.history,
  };
}

export async function loadAutoencoder(json: AutoencoderJson): Promise<Autoencoder> {
  if (json.kind !== 'smx.autoencoder' || json.version !== 1) throw inputError('not a saved smx autoencoder');
  const tf = await loadTf();
  const net = buildNetwork(tf, json.config);
  const tensors = json.weights.map((w) => tf.tensor(w.values, w.shape));
  setWeights(net, tensors);
  tensors.forEach((t) => t.dispose());
  return { config: json.config, scaler: json.scaler, net, history: json.history, tf };
}

export function disposeAutoencoder(ae: Autoencoder): void {
  disposeNetwork(ae.net);
}

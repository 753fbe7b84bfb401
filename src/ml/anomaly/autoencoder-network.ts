import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../forecast/tf-runtime.js';
import type { Random } from '../../random.js';

/**
 * The two reconstruction networks, as a list of tfjs layers run in order with
 * dropout applied between them by smx's own seeded masks (tfjs's Dropout layer
 * draws from one fixed seed, i.e. the same mask at every step, or from an
 * unseeded generator; neither is both random and reproducible).
 *
 * conv (SKAB's Conv-AE, adapted): Conv1D(h0, k, stride 2, relu) → dropout →
 * Conv1D(h1, k, stride 2, relu) → up-sample ×2 → Conv1D(h1, k, relu) → dropout →
 * up-sample ×2 → Conv1D(h0, k, relu) → Conv1D(features, k). tfjs has no
 * Conv1DTranspose layer, so each transposed convolution is an up-sampling
 * followed by a convolution; the last layer reconstructs every feature (SKAB's
 * notebook ends in 1 filter broadcast over the 8 features).
 * dense: flattened window → h0 → h1 … (relu) → mirrored back → linear output.
 */
export interface NetworkConfig {
  architecture: 'dense' | 'conv';
  window: number;
  features: number;
  hidden: number[];
  kernelSize: number;
  dropout: number;
  seed: number;
}

/** A layer, or a ×2 nearest-neighbour up-sampling along time (tfjs has no UpSampling1D layer). */
export type Step = tfTypes.layers.Layer | 'upsample';

export interface Network {
  steps: Step[];
  /** Indices of steps followed by dropout while training. */
  dropoutAfter: Set<number>;
  inputShape: number[];
}

export function buildNetwork(tf: Tf, c: NetworkConfig): Network {
  let seed = c.seed * 7919;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const layers: Step[] = [];
  const dropoutAfter = new Set<number>();
  if (c.architecture === 'conv') {
    const [h0, h1] = [c.hidden[0]!, c.hidden[1] ?? c.hidden[0]!];
    const conv = (filters: number, strides: number, activation: 'relu' | 'linear', inputShape?: number[]) =>
      tf.layers.conv1d({
        filters,
        kernelSize: c.kernelSize,
        strides,
        padding: 'same',
        activation,
        kernelInitializer: init(),
        biasInitializer: 'zeros',
        ...(inputShape ? { inputShape } : {}),
      });
    layers.push(conv(h0, 2, 'relu', [c.window, c.features]));
    dropoutAfter.add(0);
    layers.push(conv(h1, 2, 'relu'));
    layers.push('upsample');
    layers.push(conv(h1, 1, 'relu'));
    dropoutAfter.add(3);
    layers.push('upsample');
    layers.push(conv(h0, 1, 'relu'));
    layers.push(conv(c.features, 1, 'linear'));
    return { steps: layers, dropoutAfter, inputShape: [c.window, c.features] };
  }
  const width = c.window * c.features;
  const widths = [...c.hidden, ...c.hidden.slice(0, -1).reverse()];
  widths.forEach((units, i) => {
    layers.push(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: init(),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [width] } : {}),
      }),
    );
    if (i < widths.length - 1) dropoutAfter.add(i);
  });
  layers.push(
    tf.layers.dense({ units: width, activation: 'linear', kernelInitializer: init(), biasInitializer: 'zeros' }),
  );
  return { steps: layers, dropoutAfter, inputShape: [width] };
}

/** Builds every layer's weights by running one zero batch through it. */
export function initialise(tf: Tf, net: Network): void {
  tf.tidy(() => {
    forward(tf, net, tf.zeros([1, ...net.inputShape]), null);
  });
}

/** The network's output; with `random` (training) dropout masks are drawn from it. */
export function forward(tf: Tf, net: Network, x: tfTypes.Tensor, random: { rate: number; rng: Random } | null) {
  let h = x;
  net.steps.forEach((step, i) => {
    if (step === 'upsample') {
      const [b, t, c] = h.shape as [number, number, number];
      h = tf.reshape(tf.tile(tf.reshape(h, [b, t, 1, c]), [1, 1, 2, 1]), [b, 2 * t, c]);
    } else h = step.apply(h) as tfTypes.Tensor;
    if (random && random.rate > 0 && net.dropoutAfter.has(i)) {
      const size = h.size;
      const keep = new Float32Array(size);
      const scale = 1 / (1 - random.rate);
      for (let k = 0; k < size; k++) keep[k] = random.rng.nextFloat() >= random.rate ? scale : 0;
      h = tf.mul(h, tf.tensor(keep, h.shape));
    }
  });
  return h;
}

const layersOf = (net: Network) => net.steps.filter((s): s is tfTypes.layers.Layer => s !== 'upsample');

export function trainableVariables(net: Network): tfTypes.Variable[] {
  return layersOf(net).flatMap((l) => l.trainableWeights.map((w) => w.read() as tfTypes.Variable));
}

export function getWeights(net: Network): tfTypes.Tensor[] {
  return layersOf(net).flatMap((l) => l.getWeights());
}

export function setWeights(net: Network, weights: tfTypes.Tensor[]): void {
  let at = 0;
  for (const l of layersOf(net)) {
    const n = l.getWeights().length;
    l.setWeights(weights.slice(at, at + n));
    at += n;
  }
}

export function disposeNetwork(net: Network): void {
  for (const l of layersOf(net)) l.dispose();
}

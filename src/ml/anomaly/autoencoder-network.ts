import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../forecast/tf-runtime.js';
import { Random } from '../../random.js';

/**
 * The two reconstruction networks as plain tfjs variables and ops, run in
 * order, with dropout between them drawn from smx's seeded generator (tfjs's
 * Dropout layer draws either one fixed mask or an unseeded one).
 *
 * conv (SKAB's Conv-AE, adapted): Conv1D(h0, k, stride 2, relu) → dropout →
 * Conv1D(h1, k, stride 2, relu) → up-sample ×2 → Conv1D(h1, k, relu) → dropout →
 * up-sample ×2 → Conv1D(h0, k, relu) → Conv1D(features, k). tfjs has no
 * Conv1DTranspose, so each transposed convolution is an up-sampling and a
 * convolution; the last layer reconstructs every feature (SKAB's notebook ends
 * in 1 filter broadcast over the 8 features).
 * dense: flattened window → h0 → h1 … (relu) → mirrored back → linear output.
 *
 * Convolutions are computed as k shifted slices concatenated and one matMul
 * ("same" padding; stride 2 keeps every second output, TensorFlow's alignment):
 * tfjs's CPU conv1d gradient took ~1 s per batch of 32 windows here, the
 * slice-and-matMul form about half, and its results equal tf.conv1d's to 1e-5;
 * without gradients (validation, scoring) tf.conv1d itself is the faster one.
 * Weights are Glorot-uniform from the seed, so a seed fixes the model.
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

type Activation = 'relu' | 'linear';
export type Step =
  | { kind: 'conv'; kernel: tfTypes.Variable; bias: tfTypes.Variable; stride: 1 | 2; activation: Activation }
  | { kind: 'dense'; kernel: tfTypes.Variable; bias: tfTypes.Variable; activation: Activation }
  | { kind: 'upsample' };

export interface Network {
  steps: Step[];
  /** Indices of steps followed by dropout while training. */
  dropoutAfter: Set<number>;
  inputShape: number[];
  kernelSize: number;
}

function glorot(tf: Tf, random: Random, fanIn: number, fanOut: number, shape: number[]): tfTypes.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => (2 * random.nextFloat() - 1) * limit);
  return tf.variable(tf.tensor(values, shape));
}

export function buildNetwork(tf: Tf, c: NetworkConfig): Network {
  const random = new Random(c.seed ^ 0x5eed);
  const steps: Step[] = [];
  const dropoutAfter = new Set<number>();
  if (c.architecture === 'conv') {
    const k = c.kernelSize;
    const [h0, h1] = [c.hidden[0]!, c.hidden[1] ?? c.hidden[0]!];
    const conv = (cin: number, cout: number, stride: 1 | 2, activation: Activation): Step => ({
      kind: 'conv',
      // Keras' Glorot for a conv kernel: fan_in = k·cin, fan_out = k·cout.
      kernel: glorot(tf, random, k * cin, k * cout, [k * cin, cout]),
      bias: tf.variable(tf.zeros([cout])),
      stride,
      activation,
    });
    steps.push(conv(c.features, h0, 2, 'relu'));
    dropoutAfter.add(0);
    steps.push(conv(h0, h1, 2, 'relu'), { kind: 'upsample' }, conv(h1, h1, 1, 'relu'));
    dropoutAfter.add(3);
    steps.push({ kind: 'upsample' }, conv(h1, h0, 1, 'relu'), conv(h0, c.features, 1, 'linear'));
    return { steps, dropoutAfter, inputShape: [c.window, c.features], kernelSize: k };
  }
  const width = c.window * c.features;
  const widths = [...c.hidden, ...c.hidden.slice(0, -1).reverse(), width];
  let fanIn = width;
  widths.forEach((units, i) => {
    steps.push({
      kind: 'dense',
      kernel: glorot(tf, random, fanIn, units, [fanIn, units]),
      bias: tf.variable(tf.zeros([units])),
      activation: i === widths.length - 1 ? 'linear' : 'relu',
    });
    if (i < widths.length - 2) dropoutAfter.add(i);
    fanIn = units;
  });
  return { steps, dropoutAfter, inputShape: [width], kernelSize: 0 };
}

function conv1d(tf: Tf, x: tfTypes.Tensor, kernel: tfTypes.Tensor, k: number, stride: 1 | 2): tfTypes.Tensor {
  const [b, t, c] = x.shape as [number, number, number];
  const left = Math.floor((k - 1) / 2);
  const padded = tf.pad(x, [
    [0, 0],
    [left, k - 1 - left],
    [0, 0],
  ]);
  const parts: tfTypes.Tensor[] = [];
  for (let j = 0; j < k; j++) parts.push(tf.slice(padded, [0, j, 0], [b, t, c]));
  const f = kernel.shape[1]!;
  const y = tf.reshape(tf.matMul(tf.reshape(tf.concat(parts, 2), [b * t, k * c]), kernel), [b, t, f]);
  if (stride === 1) return y;
  // TensorFlow's "same" with stride 2 centres output o on input 2o + 1 (pad (k−2)/2 left for odd k and even t).
  return tf.reshape(tf.slice(tf.reshape(y, [b, t / 2, 2, f]), [0, 0, 1, 0], [b, t / 2, 1, f]), [b, t / 2, f]);
}

/** The network's output; with `random` (training) dropout masks are drawn from it. */
export function forward(
  tf: Tf,
  net: Network,
  x: tfTypes.Tensor,
  random: { rate: number; rng: Random } | null,
): tfTypes.Tensor {
  let h = x;
  net.steps.forEach((step, i) => {
    if (step.kind === 'upsample') {
      const [b, t, c] = h.shape as [number, number, number];
      h = tf.reshape(tf.tile(tf.reshape(h, [b, t, 1, c]), [1, 1, 2, 1]), [b, 2 * t, c]);
    } else {
      const z =
        step.kind === 'conv'
          ? tf.add(
              random
                ? conv1d(tf, h, step.kernel, net.kernelSize, step.stride)
                : tf.conv1d(
                    h as tfTypes.Tensor3D,
                    tf.reshape(step.kernel, [net.kernelSize, -1, step.kernel.shape[1]!]) as tfTypes.Tensor3D,
                    step.stride,
                    'same',
                  ),
              step.bias,
            )
          : tf.add(tf.matMul(h as tfTypes.Tensor2D, step.kernel as tfTypes.Tensor2D), step.bias);
      h = step.activation === 'relu' ? tf.relu(z) : z;
    }
    if (random && random.rate > 0 && net.dropoutAfter.has(i)) {
      const keep = new Float32Array(h.size);
      const scale = 1 / (1 - random.rate);
      for (let k = 0; k < keep.length; k++) keep[k] = random.rng.nextFloat() >= random.rate ? scale : 0;
      h = tf.mul(h, tf.tensor(keep, h.shape));
    }
  });
  return h;
}

export function trainableVariables(net: Network): tfTypes.Variable[] {
  return net.steps.flatMap((s) => (s.kind === 'upsample' ? [] : [s.kernel, s.bias]));
}

export function getWeights(net: Network): tfTypes.Tensor[] {
  return trainableVariables(net).map((v) => v.clone());
}

export function setWeights(net: Network, weights: readonly tfTypes.Tensor[]): void {
  trainableVariables(net).forEach((v, i) => v.assign(weights[i]!));
}

export function disposeNetwork(net: Network): void {
  for (const v of trainableVariables(net)) v.dispose();
}

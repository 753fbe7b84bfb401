import type * as tfTypes from '@tensorflow/tfjs';
import { inputError } from '../../errors.js';
import { gatherRows, lagWindows } from './lag-windows.js';
import { Random } from '../../random.js';
import { loadTf, type Tf } from './tf-runtime.js';

/**
 * A small MLP forecaster over lag windows (tfjs, CPU backend): the last `lags`
 * values, z-scored with the training part's mean and std, predict the next
 * `horizon` values directly (one output per step). By default (`relative`) the
 * inputs and targets are taken relative to the window's last value, so the
 * network learns a correction to the naive forecast.
 *
 * Training is reproducible: initialisers are seeded (glorotUniform, seed + layer
 * index), batches are drawn with a seeded permutation (never Math.random), and
 * the CPU backend is deterministic. Early stopping watches the MSE on the last
 * `validationFraction` of the windows in time order (never shuffled into
 * training); the weights of the best epoch are restored. The scaler is fitted on
 * the part of the series that precedes the validation targets, so nothing from
 * the validation tail leaks into training.
 *
 *   const f = await fitForecaster(train, { lags: 24, seed: 7 });
 *   const next = await predictNext(f, train.subarray(-24));
 */
export interface ForecasterConfig {
  lags: number;
  horizon: number;
  hidden: number[];
  activation: 'relu' | 'tanh';
  learningRate: number;
  maxEpochs: number;
  batchSize: number;
  patience: number;
  validationFraction: number;
  seed: number;
  /** Learn changes from the window's last value instead of levels (see lag-windows.ts). */
  relative: boolean;
}

export const defaultForecasterConfig: ForecasterConfig = {
  lags: 24,
  horizon: 1,
  hidden: [32],
  activation: 'relu',
  learningRate: 0.005,
  maxEpochs: 100,
  batchSize: 32,
  patience: 8,
  validationFraction: 0.2,
  seed: 42,
  relative: true,
};

export interface TrainingHistory {
  trainLoss: number[];
  validationLoss: number[];
  bestEpoch: number;
}

export interface Forecaster {
  config: ForecasterConfig;
  scaler: { mean: number; std: number };
  model: tfTypes.Sequential;
  history: TrainingHistory;
}

export function buildModel(tf: Tf, config: ForecasterConfig): tfTypes.Sequential {
  const model = tf.sequential();
  config.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: config.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed + i }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [config.lags] } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: config.horizon,
      kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed + config.hidden.length }),
      biasInitializer: 'zeros',
      ...(config.hidden.length === 0 ? { inputShape: [config.lags] } : {}),
    }),
  );
  return model;
}

function validateConfig(c: ForecasterConfig, n: number): void {
  for (const [key, v] of Object.entries({
    lags: c.lags,
    horizon: c.horizon,
    batchSize: c.batchSize,
    maxEpochs: c.maxEpochs,
  })) {
    if (!Number.isInteger(v) || v < 1) throw inputError(`forecaster ${key} must be a positive integer, got ${v}`);
  }
  if (!(c.validationFraction > 0 && c.validationFraction < 0.9))
    throw inputError(`validationFraction must be in (0, 0.9), got ${c.validationFraction}`);
  const windows = n - c.lags - c.horizon + 1;
  if (windows < 20)
    throw inputError(
      `series of ${n} points gives ${Math.max(0, windows)} training windows; need ≥ 20 (lags ${c.lags}, horizon ${c.horizon})`,
    );
}

function evaluateLoss(
  tf: Tf,
  model: tfTypes.Sequential,
  x: Float32Array,
  y: Float32Array,
  rows: number,
  c: ForecasterConfig,
): number {
  return tf.tidy(() => {
    const pred = model.predict(tf.tensor2d(x, [rows, c.lags])) as tfTypes.Tensor;
    return tf.losses.meanSquaredError(tf.tensor2d(y, [rows, c.horizon]), pred).dataSync()[0] as number;
  });
}

export async function fitForecaster(
  series: ArrayLike<number>,
  options: Partial<ForecasterConfig> = {},
): Promise<Forecaster> {
  const tf = await loadTf();
  const config: ForecasterConfig = { ...defaultForecasterConfig, ...options };
  validateConfig(config, series.length);
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i])) throw inputError(`series value at index ${i} is not finite`);
  }
  const total = series.length - config.lags - config.horizon + 1;
  const nVal = Math.max(1, Math.round(total * config.validationFraction));
  // Drop horizon−1 windows before the validation block so no training target overlaps a validation target.
  const nTrain = total - nVal - (config.horizon - 1);
  if (nTrain < 10)
    throw inputError(
      `only ${Math.max(0, nTrain)} training windows remain after the validation tail; use a longer series or a shorter horizon`,
    );
  const fitEnd = nTrain + config.lags + config.horizon - 1; // series[0, fitEnd) feeds the training windows
  let sum = 0;
  for (let i = 0; i < fitEnd; i++) sum += series[i] as number;
  const mean = sum / fitEnd;
  let ss = 0;
  for (let i = 0; i < fitEnd; i++) ss += ((series[i] as number) - mean) ** 2;
  const std = Math.sqrt(ss / fitEnd) || 1;
  const z = Float64Array.from({ length: series.length }, (_, i) => ((series[i] as number) - mean) / std);
  const w = lagWindows(z, config.lags, config.horizon, config.relative);
  const valIdx = Int32Array.from({ length: nVal }, (_, i) => total - nVal + i);
  const xVal = gatherRows(w.inputs, config.lags, valIdx);
  const yVal = gatherRows(w.targets, config.horizon, valIdx);

  const model = buildModel(tf, config);
  const optimizer = tf.train.adam(config.learningRate);
  const vars = model.trainableWeights.map((v) => v.read() as tfTypes.Variable);
  const random = new Random(config.seed);
  const history: TrainingHistory = { trainLoss: [], validationLoss: [], bestEpoch: 0 };
  let best = Infinity;
  let bestWeights: tfTypes.Tensor[] = model.getWeights().map((t) => t.clone());
  let sinceBest = 0;
  for (let epoch = 0; epoch < config.maxEpochs; epoch++) {
    const order = random.permutation(nTrain);
    let epochLoss = 0;
    for (let b = 0; b < nTrain; b += config.batchSize) {
      const idx = order.subarray(b, Math.min(nTrain, b + config.batchSize));
      const xb = tf.tensor2d(gatherRows(w.inputs, config.lags, idx), [idx.length, config.lags]);
      const yb = tf.tensor2d(gatherRows(w.targets, config.horizon, idx), [idx.length, config.horizon]);
      const cost = optimizer.minimize(
        () => tf.losses.meanSquaredError(yb, model.apply(xb, { training: true }) as tfTypes.Tensor) as tfTypes.Scalar,
        true,
        vars,
      );
      epochLoss += (cost?.dataSync()[0] ?? 0) * idx.length;
      cost?.dispose();
      xb.dispose();
      yb.dispose();
    }
    const valLoss = evaluateLoss(tf, model, xVal, yVal, nVal, config);
    history.trainLoss.push(epochLoss / nTrain);
    history.validationLoss.push(valLoss);
    if (valLoss < best - 1e-7) {
      best = valLoss;
      history.bestEpoch = epoch;
      sinceBest = 0;
      bestWeights.forEach((t) => t.dispose());
      bestWeights = model.getWeights().map((t) => t.clone());
    } else if (++sinceBest >= config.patience) break;
  }
  model.setWeights(bestWeights);
  bestWeights.forEach((t) => t.dispose());
  optimizer.dispose();
  return { config, scaler: { mean, std }, model, history };
}

/** Next `horizon` values after `recent` (its last `lags` values are used). */
export async function predictNext(f: Forecaster, recent: ArrayLike<number>): Promise<Float64Array> {
  const { lags } = f.config;
  if (recent.length < lags) throw inputError(`forecaster needs the last ${lags} values, got ${recent.length}`);
  return predictWindows(f, recent, Int32Array.of(recent.length - lags));
}

/**
 * Rolling one-step-ahead predictions for t in [from, n): ŷ[t] is the first
 * output given the true values series[t−lags .. t).
 */
export async function predictOneStepAhead(
  f: Forecaster,
  series: ArrayLike<number>,
  from: number,
): Promise<Float64Array> {
  if (from < f.config.lags) throw inputError(`one-step predictions need from ≥ lags (${f.config.lags}), got ${from}`);
  const starts = Int32Array.from({ length: Math.max(0, series.length - from) }, (_, i) => from + i - f.config.lags);
  const all = await predictWindows(f, series, starts);
  const h = f.config.horizon;
  return Float64Array.from({ length: starts.length }, (_, i) => all[i * h] as number);
}

/** Predictions (rows × horizon, row-major, original units) for windows starting at `starts`. */
async function predictWindows(f: Forecaster, series: ArrayLike<number>, starts: Int32Array): Promise<Float64Array> {
  const tf = await loadTf();
  const { lags, horizon } = f.config;
  const { mean, std } = f.scaler;
  const x = new Float32Array(starts.length * lags);
  const bases = new Float64Array(starts.length);
  starts.forEach((s, r) => {
    const base = f.config.relative ? ((series[s + lags - 1] as number) - mean) / std : 0;
    bases[r] = base;
    for (let k = 0; k < lags; k++) x[r * lags + k] = ((series[s + k] as number) - mean) / std - base;
  });
  const z = tf.tidy(() => (f.model.predict(tf.tensor2d(x, [starts.length, lags])) as tfTypes.Tensor).dataSync());
  const out = new Float64Array(starts.length * horizon);
  for (let i = 0; i < out.length; i++)
    out[i] = ((z[i] as number) + (bases[Math.floor(i / horizon)] as number)) * std + mean;
  return out;
}

export function disposeForecaster(f: Forecaster): void {
  f.model.dispose();
}

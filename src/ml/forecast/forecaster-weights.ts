import { inputError } from '../../errors.js';
import { buildModel, type Forecaster, type ForecasterConfig, type TrainingHistory } from './mlp-forecaster.js';
import { loadTf } from './tf-runtime.js';

/**
 * A trained forecaster as plain JSON (config, scaler, weights as number arrays
 * in model.getWeights() order), so the model registry can store and hash it and
 * `loadForecaster` rebuilds an identical model without tfjs's file IO handlers.
 * Weights are float32 in tfjs; the numbers written are those float32 values, so
 * a save → load round trip reproduces predictions exactly.
 */
export interface ForecasterJson {
  kind: 'smx.mlp-forecaster';
  version: 1;
  config: ForecasterConfig;
  scaler: { mean: number; std: number };
  weights: { shape: number[]; values: number[] }[];
  history?: TrainingHistory;
}

export function saveForecaster(f: Forecaster): ForecasterJson {
  const weights = f.model.getWeights().map((t) => ({ shape: [...t.shape], values: Array.from(t.dataSync()) }));
  return {
    kind: 'smx.mlp-forecaster',
    version: 1,
    config: { ...f.config, hidden: [...f.config.hidden] },
    scaler: { ...f.scaler },
    weights,
    history: f.history,
  };
}

export async function loadForecaster(json: unknown): Promise<Forecaster> {
  const j = json as Partial<ForecasterJson> | null;
  if (!j || j.kind !== 'smx.mlp-forecaster' || j.version !== 1 || !j.config || !j.scaler || !Array.isArray(j.weights)) {
    throw inputError('not a saved smx MLP forecaster (expected kind "smx.mlp-forecaster", version 1)');
  }
  const tf = await loadTf();
  const model = buildModel(tf, j.config);
  const expected = model.getWeights();
  if (expected.length !== j.weights.length) {
    model.dispose();
    throw inputError(
      `saved forecaster has ${j.weights.length} weight arrays, the architecture needs ${expected.length}`,
    );
  }
  const tensors = j.weights.map((w, i) => {
    const shape = (expected[i] as (typeof expected)[number]).shape;
    if (w.shape.join('x') !== shape.join('x') || w.values.length !== shape.reduce((a, b) => a * b, 1)) {
      throw inputError(`saved weight ${i} has shape ${w.shape.join('×')}, the architecture needs ${shape.join('×')}`);
    }
    return tf.tensor(w.values, w.shape);
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return {
    config: j.config,
    scaler: j.scaler,
    model,
    history: j.history ?? { trainLoss: [], validationLoss: [], bestEpoch: -1 },
  };
}

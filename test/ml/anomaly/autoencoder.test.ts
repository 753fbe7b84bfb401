import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  disposeAutoencoder,
  fitAutoencoder,
  loadAutoencoder,
  reconstructionErrors,
  saveAutoencoder,
  type AutoencoderConfig,
} from '../../../src/ml/anomaly/autoencoder.js';
import { Random } from '../../../src/random.js';

/** Windows of a 3-sensor sine process (window × features, row-major); `broken` windows lose the coupling. */
function windows(n: number, window: number, seed: number, broken = false): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(n * window * 3);
  for (let w = 0; w < n; w++) {
    const phase = rng.nextFloat() * 6;
    for (let t = 0; t < window; t++) {
      const a = Math.sin(phase + t / 2);
      const row = [a, broken ? -a : a, 0.5 * a].map((v) => v + 0.05 * rng.nextNormal());
      row.forEach((v, j) => (out[(w * window + t) * 3 + j] = v));
    }
  }
  return out;
}

const config = (architecture: 'dense' | 'conv', seed: number): AutoencoderConfig => ({
  architecture,
  window: 8,
  features: 3,
  hidden: [8, 4],
  kernelSize: 3,
  dropout: 0.1,
  learningRate: 0.01,
  maxEpochs: 15,
  batchSize: 16,
  patience: 3,
  validationShare: 0.2,
  seed,
});
const scaler = { mean: [0, 0, 0], std: [1, 1, 1] };

describe('autoencoder detectors (tfjs CPU)', () => {
  for (const architecture of ['dense', 'conv'] as const) {
    it(`${architecture}: a seed fixes the model; broken windows reconstruct worse; save/load keeps the errors`, async () => {
      const train = windows(120, 8, 1);
      const a = await fitAutoencoder(train, 120, config(architecture, 7), scaler);
      const b = await fitAutoencoder(train, 120, config(architecture, 7), scaler);
      const c = await fitAutoencoder(train, 120, config(architecture, 8), scaler);
      try {
        const normal = windows(40, 8, 2);
        const broken = windows(40, 8, 3, true);
        const ea = reconstructionErrors(a, normal, 40);
        assert.deepEqual(ea, reconstructionErrors(b, normal, 40), 'same seed, same model');
        assert.notDeepEqual(ea, reconstructionErrors(c, normal, 40), 'another seed, another model');
        assert.deepEqual(a.history, b.history);
        assert.ok(a.history.trainLoss.length <= 15 && a.history.bestEpoch < a.history.trainLoss.length);
        const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
        const eb = reconstructionErrors(a, broken, 40);
        assert.ok(mean(eb) > 1.5 * mean(ea), `broken ${mean(eb)} vs normal ${mean(ea)}`);
        const loaded = await loadAutoencoder(JSON.parse(JSON.stringify(saveAutoencoder(a))));
        assert.deepEqual(reconstructionErrors(loaded, normal, 40), ea);
        disposeAutoencoder(loaded);
      } finally {
        for (const ae of [a, b, c]) disposeAutoencoder(ae);
      }
    });
  }
});

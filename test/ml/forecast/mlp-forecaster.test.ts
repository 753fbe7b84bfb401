import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateForecaster } from '../../../src/ml/forecast/evaluate-forecast.js';
import { loadForecaster, saveForecaster } from '../../../src/ml/forecast/forecaster-weights.js';
import {
  disposeForecaster,
  fitForecaster,
  predictNext,
  predictOneStepAhead,
} from '../../../src/ml/forecast/mlp-forecaster.js';
import { Random } from '../../../src/random.js';

/** Clean daily-like seasonal series: season 24, slow trend, small uniform noise. */
function seasonal(n: number, seed = 7): Float64Array {
  const r = new Random(seed);
  return Float64Array.from(
    { length: n },
    (_, t) => 10 + 3 * Math.sin((2 * Math.PI * t) / 24) + 0.002 * t + 0.2 * (r.nextFloat() - 0.5),
  );
}

const quick = { lags: 24, hidden: [16], maxEpochs: 40, patience: 6 };

test('on a clean seasonal series the MLP beats the naive forecast (MAE and MAPE)', async () => {
  const report = await evaluateForecaster(seasonal(1500), {
    season: 24,
    testFraction: 0.2,
    config: { ...quick, seed: 3 },
  });
  assert.equal(report.testSize, 300);
  assert.ok(report.model.mae < report.naive.mae, `model MAE ${report.model.mae} vs naive ${report.naive.mae}`);
  assert.ok(report.model.mape < report.naive.mape);
  assert.ok(report.epochsRun >= report.bestEpoch + 1);
});

test('same seed → identical weights and predictions; another seed → different ones', async () => {
  const y = seasonal(600, 11);
  const config = { ...quick, maxEpochs: 8, seed: 5 };
  const a = await fitForecaster(y, config);
  const b = await fitForecaster(y, config);
  const c = await fitForecaster(y, { ...config, seed: 6 });
  try {
    assert.deepEqual(saveForecaster(a).weights, saveForecaster(b).weights);
    assert.deepEqual(a.history, b.history);
    assert.deepEqual(await predictNext(a, y), await predictNext(b, y));
    assert.notDeepEqual(saveForecaster(a).weights, saveForecaster(c).weights);
  } finally {
    [a, b, c].forEach(disposeForecaster);
  }
});

test('save → JSON → load reproduces predictions exactly; a foreign object is rejected', async () => {
  const y = seasonal(500, 13);
  const f = await fitForecaster(y, { ...quick, maxEpochs: 5, horizon: 3 });
  const json = JSON.parse(JSON.stringify(saveForecaster(f)));
  const g = await loadForecaster(json);
  try {
    const p = await predictNext(f, y);
    assert.equal(p.length, 3);
    assert.deepEqual(await predictNext(g, y), p);
    assert.deepEqual(await predictOneStepAhead(g, y, 400), await predictOneStepAhead(f, y, 400));
    await assert.rejects(loadForecaster({ kind: 'other' }), { code: 'BAD_INPUT' });
    json.weights.pop();
    await assert.rejects(loadForecaster(json), { code: 'BAD_INPUT', message: /weight arrays/ });
  } finally {
    disposeForecaster(f);
    disposeForecaster(g);
  }
});

test('bad inputs are reported before training', async () => {
  await assert.rejects(fitForecaster(seasonal(30), { lags: 24 }), { code: 'BAD_INPUT', message: /training windows/ });
  const withNaN = seasonal(200);
  withNaN[50] = NaN;
  await assert.rejects(fitForecaster(withNaN, quick), { code: 'BAD_INPUT', message: /index 50/ });
  await assert.rejects(fitForecaster(seasonal(200), { lags: 0 }), { code: 'BAD_INPUT' });
});

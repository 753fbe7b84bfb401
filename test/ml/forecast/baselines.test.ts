import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  naiveForecast,
  oneStepNaive,
  oneStepSeasonalNaive,
  seasonalNaiveForecast,
} from '../../../src/ml/forecast/baselines.js';
import { forecastMae, forecastMape } from '../../../src/ml/forecast/forecast-metrics.js';

test('naive repeats the last value; seasonal naive repeats the last season', () => {
  const y = [1, 2, 3, 4, 5, 6, 7];
  assert.deepEqual(Array.from(naiveForecast(y, 3)), [7, 7, 7]);
  assert.deepEqual(Array.from(seasonalNaiveForecast(y, 3, 7)), [5, 6, 7, 5, 6, 7, 5]);
  assert.deepEqual(Array.from(seasonalNaiveForecast(y, 1, 2)), [7, 7]);
  assert.throws(() => seasonalNaiveForecast([1, 2], 3, 1), { code: 'BAD_INPUT' });
  assert.throws(() => naiveForecast([], 1), { code: 'BAD_INPUT' });
});

test('one-step baselines use the true previous value / value one season back', () => {
  const y = [10, 11, 12, 13, 14, 15];
  assert.deepEqual(Array.from(oneStepNaive(y, 4)), [13, 14]);
  assert.deepEqual(Array.from(oneStepSeasonalNaive(y, 3, 4)), [11, 12]);
  assert.throws(() => oneStepSeasonalNaive(y, 3, 2), { code: 'BAD_INPUT' });
});

test('MAE and MAPE, with zeros left out of MAPE and counted', () => {
  assert.equal(forecastMae([1, 2, 3], [2, 2, 1]), 1);
  assert.deepEqual(forecastMape([100, 0, 50], [110, 5, 45]), { mape: 10, skippedZeros: 1 });
  assert.throws(() => forecastMae([1], [1, 2]), RangeError);
});

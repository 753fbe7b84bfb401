import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { autoregressiveOneStep, fitAutoregressive } from '../../../src/ml/forecast/autoregressive.js';
import { smoothingOneStep } from '../../../src/ml/forecast/exponential-smoothing.js';
import {
  fitBestStatistical,
  fitStatistical,
  statisticalMethods,
  type StatisticalMethod,
} from '../../../src/ml/forecast/statistical-forecaster.js';
import { packageRoot } from '../../../src/package-root.js';

interface Reference {
  series: number[];
  from: number;
  season: number;
  windows: number[];
  arOrders: number[];
  expected: Record<StatisticalMethod, { params: Record<string, number | number[]>; predictions: number[] }>;
}
const reference = JSON.parse(
  readFileSync(path.join(packageRoot, 'test', 'fixtures', 'forecasters', 'reference.json'), 'utf8'),
) as Reference;

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) => {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++)
    assert.ok(
      Math.abs((actual[i] as number) - (expected[i] as number)) <= tolerance,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
};

describe('statistical forecasters: hand-computed recursions', () => {
  it('SES with α = 0.5 on 1, 2, 3: ŷ = 1, 1.5', () => {
    close(smoothingOneStep('ses', { alpha: 0.5 }, [1, 2, 3], 1), [1, 1.5], 1e-15, 'ses');
  });

  it('Holt with α = β = 0.5 on 1, 2, 4, 7: ŷ = 2, 3, 4.75', () => {
    // ℓ0 = 1, b0 = 1 → ŷ1 = 2; ℓ1 = 2, b1 = 1 → ŷ2 = 3; ℓ2 = 3.5, b2 = 1.25 → ŷ3 = 4.75.
    close(smoothingOneStep('holt', { alpha: 0.5, beta: 0.5 }, [1, 2, 4, 7], 1), [2, 3, 4.75], 1e-15, 'holt');
  });

  it('Holt-Winters (m = 2) with α = β = γ = 0.5 on 1, 3, 2, 4, 3: ŷ[4] = 3.5', () => {
    // ℓ = (1+3)/2 = 2, b = ((2+4)/2 − 2)/2 = 0.5, s = [−1, 1].
    // t=2: ŷ = 2 + 0.5 − 1 = 1.5; ℓ = 0.5(2+1) + 0.5(2.5) = 2.75; s2 = 0.5(2 − 2.5) + 0.5(−1) = −0.75; b = 0.5(0.75) + 0.25 = 0.625.
    // t=3: ŷ = 2.75 + 0.625 + 1 = 4.375; ℓ = 0.5(4 − 1) + 0.5(3.375) = 3.1875; s3 = 0.5(4 − 3.375) + 0.5 = 0.8125;
    //      b = 0.5(0.4375) + 0.3125 = 0.53125.
    // t=4: ŷ = 3.1875 + 0.53125 − 0.75 = 2.96875.
    close(
      smoothingOneStep('holt-winters', { alpha: 0.5, beta: 0.5, gamma: 0.5, season: 2 }, [1, 3, 2, 4, 3], 2),
      [1.5, 4.375, 2.96875],
      1e-15,
      'holt-winters',
    );
  });

  it('AR(1) least squares recovers y[t] = 1 + 0.5·y[t−1] from a noise-free series', () => {
    const y = [0];
    for (let t = 1; t < 30; t++) y.push(1 + 0.5 * y[t - 1]! + (t % 2 ? 0.25 : -0.25));
    const model = fitAutoregressive(y, 1);
    const residuals = autoregressiveOneStep(model, y, 1).map((p, i) => y[i + 1]! - p);
    // With the ±0.25 alternation the least-squares line is not exact; check the normal equations hold instead.
    const sum = residuals.reduce((a, b) => a + b, 0);
    const dot = residuals.reduce((a, r, i) => a + r * y[i]!, 0);
    // (up to the 1e-10 × trace ridge that keeps a constant series solvable)
    assert.ok(Math.abs(sum) < 1e-6 && Math.abs(dot) < 1e-6, `residuals orthogonal to [1, y[t−1]]: ${sum}, ${dot}`);
    const exact = [0];
    for (let t = 1; t < 12; t++) exact.push(1 + 0.5 * exact[t - 1]!);
    const fit = fitAutoregressive(exact, 1);
    assert.ok(Math.abs(fit.intercept - 1) < 1e-6 && Math.abs(fit.coefficients[0]! - 0.5) < 1e-6, JSON.stringify(fit));
  });
});

describe('statistical forecasters against the NumPy reference (test/fixtures/forecasters)', () => {
  const train = reference.series.slice(0, reference.from);
  const options = { season: reference.season, windows: reference.windows, arOrders: reference.arOrders };
  for (const method of statisticalMethods) {
    it(`${method}: the same fitted parameters and one-step predictions`, () => {
      const fitted = fitStatistical(method, train, options);
      const expected = reference.expected[method];
      for (const [name, value] of Object.entries(expected.params)) {
        if (Array.isArray(value)) close(fitted.params[name] as number[], value, 1e-9, name);
        else
          assert.ok(
            Math.abs((fitted.params[name] as number) - value) < 1e-9,
            `${name}: ${String(fitted.params[name])} vs ${value}`,
          );
      }
      close(fitted.oneStep(reference.series, reference.from), expected.predictions, 1e-9, method);
    });
  }

  it('auto chooses the method with the least validation MAE and refits it on the whole training part', () => {
    const { fitted, validationMae } = fitBestStatistical(train, options);
    const best = Object.entries(validationMae).sort((a, b) => a[1] - b[1])[0]![0];
    assert.equal(fitted.method, best);
    assert.deepEqual(Object.keys(validationMae), [...statisticalMethods]);
    close(
      fitted.oneStep(reference.series, reference.from),
      reference.expected[fitted.method].predictions,
      1e-9,
      'auto',
    );
  });
});

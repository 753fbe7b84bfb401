import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alarmsWithHoldOff } from '../../../../src/ml/anomaly/stream/hold-off.js';
import { leftMatrixProfile } from '../../../../src/ml/anomaly/stream/left-matrix-profile.js';
import { noveltyScore } from '../../../../src/ml/anomaly/stream/novelty-score.js';
import { trailingRatio } from '../../../../src/ml/anomaly/stream/trailing-ratio.js';
import { Random } from '../../../../src/random.js';

const series = (n: number, seed = 1) => {
  const rng = new Random(seed);
  return Float64Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin(i / 7) + rng.nextNormal());
};

describe('streaming novelty score', () => {
  it('left matrix profile equals a brute-force nearest earlier subsequence', () => {
    const x = series(400);
    const m = 9;
    const lmp = leftMatrixProfile(x, m);
    for (const t of [2 * m - 2, 2 * m - 1, 57, 200, 399]) {
      const s = t - m + 1;
      let best = NaN;
      for (let j = 0; j <= s - m; j++) {
        let d = 0;
        for (let k = 0; k < m; k++) d += ((x[s + k] as number) - (x[j + k] as number)) ** 2;
        d = Math.sqrt(d / m);
        if (!(d >= best)) best = d;
      }
      if (Number.isNaN(best)) assert.ok(Number.isNaN(lmp[t]!), `row ${t}`);
      else assert.ok(Math.abs(lmp[t]! - best) < 1e-7, `row ${t}: ${lmp[t]} vs ${best}`);
    }
  });

  it('is online: a row’s score does not change when later rows change', () => {
    const x = series(600);
    const settings = { lengths: [8, 20], calibrationRows: 100 };
    const full = noveltyScore(x, settings);
    const y = Float64Array.from(x);
    for (let i = 450; i < y.length; i++) y[i] = 1000; // a wild future
    const changed = noveltyScore(y, settings);
    for (let i = 0; i < 450; i++) assert.equal(changed[i], full[i], `row ${i}`);
    assert.ok(changed[460]! > full[460]!);
  });

  it('flags a level never seen before far above the usual', () => {
    const x = series(800);
    for (let i = 700; i < 720; i++) x[i] = (x[i] as number) + 40;
    const s = noveltyScore(x, { lengths: [12], calibrationRows: 200 });
    const before = Math.max(...s.subarray(300, 695));
    assert.ok(Math.max(...s.subarray(700, 720)) > 3 * before);
  });

  it('trailing ratio divides by the median of the previous values only', () => {
    const v = Float64Array.from([1, 2, 3, NaN, 4, 10]);
    const r = trailingRatio(v, 3, 2);
    assert.deepEqual([...r.subarray(0, 2)], [0, 0]);
    assert.equal(r[2], 3 / 1.5);
    assert.equal(r[3], 0);
    assert.equal(r[4], 4 / 2);
    assert.equal(r[5], 10 / 3);
  });

  it('hold-off raises one alarm per excursion', () => {
    const scores = [0, 5, 5, 5, 0, 0, 5, 0, 0, 0, 5];
    assert.deepEqual([...alarmsWithHoldOff(scores, 4, 0)], [0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1]);
    assert.deepEqual([...alarmsWithHoldOff(scores, 4, 5)], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

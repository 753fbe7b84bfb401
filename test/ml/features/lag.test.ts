import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnByName, concatColumns, firstCompleteRow, sliceRows } from '../../../src/ml/features/feature-matrix.js';
import { normaliseByGroup } from '../../../src/ml/features/group-normalise.js';
import { difference, lagFeatures, rollingStats } from '../../../src/ml/features/lag.js';
import { windowLabels, windowStats } from '../../../src/ml/features/window-stats.js';
import { Random } from '../../../src/random.js';

const x = [5, 3, 8, 1, 9, 2, 7];

test('lag features align x[t−k] with row t and leave NaN before', () => {
  const m = lagFeatures(x, 2, 'y_');
  assert.deepEqual(m.featureNames, ['y_lag_1', 'y_lag_2']);
  assert.deepEqual(Array.from(columnByName(m, 'y_lag_1')), [NaN, 5, 3, 8, 1, 9, 2]);
  assert.deepEqual(Array.from(columnByName(m, 'y_lag_2')), [NaN, NaN, 5, 3, 8, 1, 9]);
  assert.deepEqual(lagFeatures(x, [3]).featureNames, ['lag_3']);
  assert.throws(() => lagFeatures(x, [0]), { code: 'BAD_INPUT' });
});

test('difference', () => {
  assert.deepEqual(Array.from(difference(x)), [NaN, -2, 5, -7, 8, -7, 5]);
  assert.deepEqual(Array.from(difference(x, 3)), [NaN, NaN, NaN, -4, 6, -6, 6]);
});

test('rolling mean/std/min/max equal brute force over trailing windows', () => {
  const r = new Random(3);
  const s = Float64Array.from({ length: 300 }, () => 1000 + r.nextFloat() * 10);
  for (const w of [1, 4, 17]) {
    const m = rollingStats(s, w);
    for (let t = w - 1; t < s.length; t++) {
      const win = Array.from(s.subarray(t - w + 1, t + 1));
      const mean = win.reduce((a, b) => a + b, 0) / w;
      const std = Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / w);
      assert.ok(Math.abs(columnByName(m, `roll${w}_mean`)[t]! - mean) < 1e-9);
      assert.ok(Math.abs(columnByName(m, `roll${w}_std`)[t]! - std) < 1e-6);
      assert.equal(columnByName(m, `roll${w}_min`)[t], Math.min(...win));
      assert.equal(columnByName(m, `roll${w}_max`)[t], Math.max(...win));
    }
    assert.ok(Number.isNaN(columnByName(m, `roll${w}_mean`)[w - 2] ?? NaN));
  }
});

test('combined features are cut at the first complete row', () => {
  const m = concatColumns(lagFeatures(x, 3), rollingStats(x, 2, ['mean']));
  assert.equal(firstCompleteRow(m), 3);
  const cut = sliceRows(m, firstCompleteRow(m));
  assert.equal(cut.rows, 4);
  assert.deepEqual(Array.from(columnByName(cut, 'lag_3')), [5, 3, 8, 1]);
});

test('windowStats gives mean, std, min, max and least-squares slope per sensor', () => {
  const series = {
    featureNames: ['a', 'b'],
    rows: 8,
    data: Float64Array.of(0, 2, 4, 6, 8, 10, 12, 14, 1, 1, 1, 1, 3, 1, 3, 1),
  };
  const w = windowStats(series, 4, 2);
  assert.deepEqual(Array.from(w.windowStarts), [0, 2, 4]);
  assert.deepEqual(w.featureNames.slice(0, 5), ['a_mean', 'a_std', 'a_min', 'a_max', 'a_slope']);
  assert.deepEqual(Array.from(columnByName(w, 'a_mean')), [3, 7, 11]);
  assert.deepEqual(Array.from(columnByName(w, 'a_slope')), [2, 2, 2]);
  assert.deepEqual(Array.from(columnByName(w, 'a_min')), [0, 4, 8]);
  assert.deepEqual(Array.from(columnByName(w, 'b_max')), [1, 3, 3]);
  assert.equal(columnByName(w, 'b_slope')[0], 0);
  assert.equal(columnByName(w, 'b_std')[2], 1);
  const labels = [0, 0, 0, 1, 1, 1, 0, 0];
  assert.deepEqual(Array.from(windowLabels(labels, w.windowStarts, 4, 'any')), [1, 1, 1]);
  assert.deepEqual(Array.from(windowLabels(labels, w.windowStarts, 4, 'last')), [1, 1, 0]);
  assert.deepEqual(Array.from(windowLabels(labels, w.windowStarts, 4, 'majority')), [0, 1, 0]);
});

test('per-group normalisation: baseline rows and median/MAD', () => {
  const m = { featureNames: ['v'], rows: 8, data: Float64Array.of(10, 12, 11, 50, 100, 102, 101, 500) };
  const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];
  const base = normaliseByGroup(m, groups, { method: 'baseline', rows: 2 });
  // group a reference rows 10, 12: mean 11, std 1
  assert.deepEqual(Array.from(base.data.subarray(0, 4)), [-1, 1, 0, 39]);
  assert.deepEqual(Array.from(base.data.subarray(4, 8)), [-1, 1, 0, 399]);
  const robust = normaliseByGroup(m, groups, { method: 'median-mad' });
  // group a: median 11.5, |dev| = 1.5, 0.5, 0.5, 38.5 → MAD 1 → scale 1.4826
  assert.ok(Math.abs(robust.data[0]! - (10 - 11.5) / 1.4826) < 1e-12);
  assert.throws(() => normaliseByGroup(m, groups.slice(1), { method: 'median-mad' }), { code: 'BAD_INPUT' });
  assert.throws(() => normaliseByGroup(m, groups, { method: 'baseline', rows: 1 }), { code: 'BAD_INPUT' });
});

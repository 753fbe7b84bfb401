import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nabProfiles, probationRows } from '../../../../src/ml/anomaly/nab/nab-profiles.js';
import { scoreDetections } from '../../../../src/ml/anomaly/nab/nab-score.js';
import { labelsFromLimits, windowsFromLabels } from '../../../../src/ml/anomaly/nab/nab-windows.js';
import { scaledSigmoid } from '../../../../src/ml/anomaly/nab/scaled-sigmoid.js';

const close = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < tol, `${actual} ≠ ${expected}`);

/*
 * A hand-worked file of 40 rows (probation floor(0.15 × 40) = 6 rows):
 *   window C = rows 2–4 (inside the probation: not scored, but it is the "preceding window" of row 8)
 *   window A = rows 10–14 (width 5), window B = rows 25–29 (width 5)
 *   detections on rows 3 (probation: ignored), 8, 12, 13, 16 and 35.
 * With σ(x) = 1/(1 + e^−x) and S(y) = 2σ(−5y) − 1 (NAB's scaledSigmoid):
 *   S(−1) = 2/(1 + e^−5) − 1 = 0.98661430 (the weight of a window's first row, the divisor)
 *   row 8, FP after C: y = |4 − 8|/(3 − 1) = 2 → S(2) = 2/(1 + e^10) − 1 = −0.99990920
 *   row 12, first detection in A: y = −(14 − 12 + 1)/5 = −0.6 → S(−0.6) = 2/(1 + e^−3) − 1 = 0.90514825
 *     → TP weight 0.90514825 / 0.98661430 = 0.91742868 (row 13 is a later detection in A: no weight)
 *   row 16, FP after A: y = |14 − 16|/(5 − 1) = 0.5 → S(0.5) = 2/(1 + e^2.5) − 1 = −0.84828364
 *   row 35, FP after B: y = |29 − 35|/4 = 1.5 → S(1.5) = 2/(1 + e^7.5) − 1 = −0.99889444
 *   window B: missed.
 * standard (tp 1, fp 0.11, fn 1): 0.91742868 − 1 + 0.11 × (−0.99990920 − 0.84828364 − 0.99889444) = −0.39575092
 * reward_low_FP_rate (fp 0.22):   0.91742868 − 1 + 0.22 × (…) = −0.70893052
 * reward_low_FN_rate (fn 2):      0.91742868 − 2 + 0.11 × (…) = −1.39575092
 * normalised (standard): perfect 2, null −2 → 100 × (−0.39575092 + 2)/4 = 40.106227
 */
describe('NAB scoring, hand-worked example', () => {
  const rows = 40;
  const labels = new Uint8Array(rows);
  for (const [a, b] of [
    [2, 4],
    [10, 14],
    [25, 29],
  ] as const)
    labels.fill(1, a, b + 1);
  const windows = windowsFromLabels(labels);
  const detections = new Uint8Array(rows);
  for (const r of [3, 8, 12, 13, 16, 35]) detections[r] = 1;
  const probation = probationRows(rows);

  it('has the sigmoid values written out above', () => {
    close(scaledSigmoid(-1), 0.9866142981514305);
    close(scaledSigmoid(-0.6), 0.9051482536448667);
    close(scaledSigmoid(2), -0.9999092042625951);
    close(scaledSigmoid(0.5), -0.8482836399575129);
    close(scaledSigmoid(1.5), -0.9988944427261528);
    close(scaledSigmoid(0), 0);
    assert.equal(scaledSigmoid(3.01), -1);
  });

  it('finds the windows and the probation', () => {
    assert.deepEqual(windows, [
      { start: 2, end: 4 },
      { start: 10, end: 14 },
      { start: 25, end: 29 },
    ]);
    assert.equal(probation, 6);
    assert.equal(probationRows(22695), 750);
    assert.equal(probationRows(4000), 600);
  });

  it('scores the standard profile', () => {
    const s = scoreDetections(detections, windows, nabProfiles.standard, probation);
    close(s.raw, -0.39575092113568083);
    assert.equal(s.tpRows, 2);
    assert.equal(s.fpRows, 3);
    assert.deepEqual(
      s.windows.map((w) => [w.start, w.detectedAt]),
      [
        [10, 12],
        [25, null],
      ],
    );
    close(s.windows[0]!.weight, 0.9174286804284079);
    assert.deepEqual(
      s.falsePositives.map((f) => f.row),
      [8, 16, 35],
    );
    close(s.falsePositives[0]!.weight, 0.11 * -0.9999092042625951);
    assert.equal(s.perfect, 2);
    assert.equal(s.null, -2);
    close(s.normalised!, 40.10622697160798);
  });

  it('scores the reward-low-FP and reward-low-FN profiles', () => {
    close(scoreDetections(detections, windows, nabProfiles.reward_low_FP_rate, probation).raw, -0.7089305226997695);
    close(scoreDetections(detections, windows, nabProfiles.reward_low_FN_rate, probation).raw, -1.3957509211356809);
  });

  it('gives a detection on a window’s first row the full tp weight and the null detector −fn per window', () => {
    const first = new Uint8Array(rows);
    first[10] = 1;
    first[25] = 1;
    close(scoreDetections(first, windows, nabProfiles.standard, probation).raw, 2);
    close(scoreDetections(first, windows, nabProfiles.standard, probation).normalised!, 100);
    assert.equal(scoreDetections(new Uint8Array(rows), windows, nabProfiles.reward_low_FN_rate, probation).raw, -4);
  });

  it('charges the full fp weight when no window precedes a false positive', () => {
    const d = new Uint8Array(rows);
    d[7] = 1;
    close(scoreDetections(d, [{ start: 10, end: 14 }], nabProfiles.standard, probation).raw, -1 - 0.11);
  });

  it('labels rows inside time limits, both ends included', () => {
    const time = Float64Array.from({ length: 10 }, (_, i) => i * 300_000);
    assert.deepEqual([...labelsFromLimits(time, [[600_000, 1_200_000]])], [0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
  });
});

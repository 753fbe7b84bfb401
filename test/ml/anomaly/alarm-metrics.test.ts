import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { alarmFigures, countAlarms, pooledAlarmFigures } from '../../../src/ml/anomaly/alarm-metrics.js';
import { persistentAlarms } from '../../../src/ml/anomaly/persistence.js';
import { packageRoot } from '../../../src/package-root.js';

describe('SKAB point-wise alarm figures', () => {
  it('a hand-computed example: counts pooled over two files before any ratio', () => {
    // File A: 6 rows, anomaly rows 2–4; alarms on rows 1, 3, 4 → TP 2 (3, 4), FP 1 (1), FN 1 (2), TN 2 (0, 5).
    // File B: 4 rows, no anomaly; alarm on row 0 → FP 1, TN 3.
    const pooled = pooledAlarmFigures([
      { labels: [0, 0, 1, 1, 1, 0], alarms: [0, 1, 0, 1, 1, 0] },
      { labels: [0, 0, 0, 0], alarms: [1, 0, 0, 0] },
    ]);
    assert.deepEqual({ tp: pooled.tp, fp: pooled.fp, fn: pooled.fn, tn: pooled.tn }, { tp: 2, fp: 2, fn: 1, tn: 5 });
    assert.equal(pooled.f1, 2 / (2 + (1 + 2) / 2)); // 0.5714…
    assert.equal(pooled.far, 2 / 7);
    assert.equal(pooled.mar, 1 / 3);
    // Averaging per file instead would give FAR (1/3 + 1/4) / 2 = 0.2917, not 2/7 = 0.2857.
    assert.notEqual(pooled.far, (1 / 3 + 1 / 4) / 2);
  });

  it("matches SKAB's core/metrics.py definition on fixed random files (fixture from its formulas)", () => {
    const fixture = JSON.parse(
      readFileSync(path.join(packageRoot, 'test', 'fixtures', 'skab-metrics', 'skab-metrics.json'), 'utf8'),
    ) as {
      files: { labels: number[]; alarms: number[] }[];
      skab: { tp: number; tn: number; fp: number; fn: number; f1: number; far: number; mar: number };
    };
    const f = pooledAlarmFigures(fixture.files);
    assert.deepEqual(
      { tp: f.tp, tn: f.tn, fp: f.fp, fn: f.fn },
      {
        tp: fixture.skab.tp,
        tn: fixture.skab.tn,
        fp: fixture.skab.fp,
        fn: fixture.skab.fn,
      },
    );
    assert.ok(Math.abs(f.f1 - fixture.skab.f1) < 1e-12);
    assert.ok(Math.abs(f.far * 100 - fixture.skab.far) < 1e-9); // SKAB reports percentages
    assert.ok(Math.abs(f.mar * 100 - fixture.skab.mar) < 1e-9);
  });

  it('F1 equals the usual 2PR/(P+R); empty denominators give 0, not NaN', () => {
    const f = alarmFigures(countAlarms([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]));
    assert.ok(Math.abs(f.f1 - (2 * f.precision * f.recall) / (f.precision + f.recall)) < 1e-12);
    const none = alarmFigures(countAlarms([0, 0], [0, 0]));
    assert.equal(none.f1, 0);
    assert.equal(none.mar, 0);
  });

  it('persistence: a row alarms after k consecutive rows over the threshold, looking back only', () => {
    assert.deepEqual([...persistentAlarms([1, 1, 0, 1, 1, 1, 0], 2)], [0, 1, 0, 0, 1, 1, 0]);
    assert.deepEqual([...persistentAlarms([1, 0, 1], 1)], [1, 0, 1]);
  });
});

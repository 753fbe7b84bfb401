import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perGroupSplit } from '../../../src/ml/split/per-group-split.js';
import { evaluatePredictions } from '../../../src/ml/pipelines/evaluate-stage.js';
import { modelStage } from '../../../src/ml/pipelines/model-stage.js';
import { splitStage } from '../../../src/ml/pipelines/split-stage.js';
import type { PcaMonitorJson } from '../../../src/ml/anomaly/pca-monitor.js';
import { quantileOf } from '../../../src/ml/anomaly/quantile.js';
import type { PerGroupModelJson } from '../../../src/ml/pipelines/detectors/detector-stage.js';
import { perGroupDataset as dataset } from './per-group-dataset.js';

const context = { cwd: '.', env: {} };

describe('per-group protocol', () => {
  it('splits each group by source position: fit, then calibration, then test; window datasets keep positions', () => {
    const groups = Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1);
    const positions = Int32Array.of(0, 1, 2, 3, 4, 2, 3, 4, 5); // group 1 starts at position 2 (a window dataset)
    const folds = perGroupSplit(groups, positions, { fitRows: 2, calibrationRows: 2 });
    assert.deepEqual(
      folds.map((f) => [f.group, [...f.fit], [...f.calibration], [...f.test]]),
      [
        [0, [0, 1], [2, 3], [4]],
        [1, [], [5, 6], [7, 8]],
      ],
    );
  });

  it('calibration never uses fitted rows: disjoint rows, model fitted on fit rows only, threshold from calibration scores', async () => {
    const ds = dataset();
    const plan = await splitStage.run(
      { kind: 'per-group', fitRows: 30, calibrationRows: 10, validationGroups: ['y/*'] },
      [ds],
      context,
    );
    for (const fold of plan.folds) {
      const fit = new Set(fold.fit);
      assert.ok(
        fold.calibration!.every((r) => !fit.has(r)),
        'calibration row among the fitted rows',
      );
      assert.ok(fold.test.every((r) => !fit.has(r) && !fold.calibration!.includes(r)));
    }
    const trained = await modelStage.run(
      {
        kind: 'pca-monitor',
        params: { components: 1, limits: 'theoretical', t2Distribution: 'f', alpha: 0.01, rule: 't2-or-q' },
      },
      [ds, plan],
      context,
    );
    // The served (last) group's PCA is centred on that group's 30 fitted rows, not on the calibration rows.
    const served = (trained.model as PerGroupModelJson).model as PcaMonitorJson;
    const mean = Array.from({ length: 30 }, (_, p) => ds.data[120 + p]!).reduce((a, b) => a + b, 0) / 30;
    assert.ok(Math.abs(served.mean[0]! - mean) < 1e-9);
    const spec = {
      kind: 'anomaly' as const,
      thresholdQuantile: 0.99,
      threshold: { rule: 'calibrated' as const, targetFar: 0.1, margin: 1 },
      persistence: 1,
      seed: 0,
    };
    const m = evaluatePredictions(spec, ds, plan, trained);
    const thresholds = m.detail.thresholds as Record<string, number>;
    const a = trained.anomaly!;
    for (const [g, name] of ds.groups.names.entries()) {
      const inGroup = (rows: Int32Array, scores: Float64Array) =>
        scores.filter((_, i) => ds.groups.index[rows[i]!] === g);
      const cal = inGroup(a.calibration!.rows, a.calibration!.scores);
      const fit = inGroup(a.fit.rows, a.fit.scores);
      assert.equal(cal.length, 10);
      assert.equal(thresholds[name], quantileOf(cal, 0.9), `${name}: threshold is the calibration rows' 0.9 quantile`);
      assert.ok(thresholds[name]! > quantileOf(fit, 0.9), `${name}: the fitted rows would have given a lower one`);
    }
    // Headline: test groups only; the validation group is reported apart.
    assert.deepEqual((m.detail.groupsUsed as { test: string[] }).test, ['x/0.csv', 'x/1.csv']);
    assert.deepEqual((m.detail.groupsUsed as { validation: string[] }).validation, ['y/0.csv']);
    assert.equal(m.nTest, 60);
    assert.equal(m.primary.name, 'f1_at_threshold');
    assert.ok(m.metrics.f1_all_rows !== undefined && m.metrics.always_anomaly_f1 !== undefined);
    // 10 anomalous of 20 test rows per group: always-anomaly F1 = 10 / (10 + 10 / 2).
    assert.ok(Math.abs(m.metrics.always_anomaly_f1! - 2 / 3) < 1e-12);
    assert.ok(m.metrics.f1_at_threshold! > 0.9, `the planted shift is found: F1 ${m.metrics.f1_at_threshold}`);
  });
});

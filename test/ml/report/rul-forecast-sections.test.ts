import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metrics } from '../../../src/ml/pipelines/evaluate-stage.js';
import type { RulUnit } from '../../../src/ml/pipelines/rul-evaluation.js';
import type { Dataset, TrainedModel } from '../../../src/ml/pipelines/types.js';
import type { ForecastFigures } from '../../../src/ml/report/forecast-section.js';
import { buildReportData } from '../../../src/ml/report/report-sections.js';
import { renderTrainingReport, type ReportView } from '../../../src/ml/report/training-report.js';
import {
  assertPicture,
  assertSelfContained,
  assertWellFormed,
  screenshot,
  skipWithoutChromium,
} from '../../helpers/html-page.js';

const metricsOf = (
  kind: Metrics['kind'],
  metrics: Record<string, number>,
  detail: Record<string, unknown>,
): Metrics => ({
  kind,
  primary: { name: Object.keys(metrics)[0]!, value: Object.values(metrics)[0]!, higherIsBetter: false },
  split: 'test split',
  nFit: 100,
  nTest: 100,
  metrics,
  detail,
  reference: { source: 'anchors', metrics: { rmse: 12.61 } },
});
const view = (label: string, metrics: Metrics, data: ReportView['data']): ReportView => ({
  label,
  description: 'fixture',
  modelKind: 'fixture',
  metrics,
  data,
});
const trainedOn = (rows: Int32Array, scores: Float64Array, kind: TrainedModel['kind']): TrainedModel => ({
  kind,
  model: { method: 'ar' },
  featureNames: ['x'],
  encoding: { ordinal: {} },
  params: {},
  fitRows: 0,
  fitSeconds: 0,
  test: { rows, scores, predicted: null, baselines: null },
  fitScores: null,
  classes: null,
});

describe('training report: remaining useful life and forecasts against statistical baselines', () => {
  // 100 units; the model over-predicts the units with more than 125 cycles left by design (a capped target).
  const units: RulUnit[] = Array.from({ length: 100 }, (_, i) => {
    const truth = 5 + i * 1.4;
    return { group: `test#${i + 1}`, age: 50 + i, truth, predicted: Math.min(125, truth + ((i * 7) % 11) - 5) };
  });
  const rulMetrics = metricsOf(
    'rul',
    {
      rmse: 13.2,
      nasa_score: 245.6,
      rmse_capped_truth: 11.9,
      nasa_score_capped_truth: 212.4,
      constant_rmse: 41.9,
      constant_nasa_score: 18807.9,
      age_only_rmse: 32.2,
      age_only_nasa_score: 4261.4,
    },
    { units },
  );
  const empty: Dataset = {
    shape: 'dataset',
    featureNames: ['x'],
    rows: 0,
    data: new Float64Array(0),
    target: null,
    groups: { names: [], index: new Int32Array(0) },
    time: null,
    encoding: { ordinal: {} },
  };

  it('RUL: each test unit at its last cycle, predicted vs true, residuals by true value, scores beside baselines', async (t) => {
    const data = buildReportData({
      evaluation: { kind: 'rul' },
      dataset: empty,
      trained: trainedOn(new Int32Array(0), new Float64Array(0), 'random-forest-regressor'),
      metrics: rulMetrics,
    });
    const f = data.section as { actual: number[]; bins: { mean: number }[]; scores: { name: string }[] };
    assert.equal(f.actual.length, 100, 'one point per unit');
    assert.ok(f.bins.at(-1)!.mean < -5, 'units with more than 125 cycles left are under-predicted');
    assert.deepEqual(
      f.scores.map((s) => s.name),
      [
        'model',
        'model, truth capped like the target',
        'baseline: constant (mean training target)',
        'baseline: age only',
      ],
    );
    const html = renderTrainingReport(view('cmapss@1', rulMetrics, data));
    assertWellFormed(html);
    assertSelfContained(html);
    assert.ok(html.includes('Each test unit at its last cycle'));
    assert.ok(html.includes('<title>Residuals by actual value, cmapss@1'));
    assert.ok(
      html.includes('<td class="num">41.90</td><td class="num">18807.9</td>'),
      'the constant baseline’s scores',
    );
    if (skipWithoutChromium()) return t.skip(String(skipWithoutChromium()));
    assertPicture(await screenshot(html, 1200, 1400), 1200, 1400);
  });

  it('forecast: the best statistical baseline is overlaid, never the model’s own method', async (t) => {
    // A level that wanders slowly under noise: the mean of recent values beats the last value.
    const n = 1200;
    const series = Float64Array.from({ length: n }, (_, i) => 5 + Math.sin(i / 200) + (((i * 7919) % 23) - 11) / 8);
    const dataset: Dataset = { ...empty, rows: n, data: series, groups: { names: ['a'], index: new Int32Array(n) } };
    const from = 960;
    const rows = Int32Array.from({ length: n - from }, (_, i) => from + i);
    const ar = trainedOn(
      rows,
      Float64Array.from(rows, (r) => series[r - 1]! * 0.5 + 2.5),
      'statistical-forecaster',
    );
    const metrics = metricsOf('forecast', { mae_ratio_to_best_baseline: 1 }, { comparedWithout: 'ar' });
    const data = buildReportData({ evaluation: { kind: 'forecast', season: 60 }, dataset, trained: ar, metrics });
    const f = data.section as ForecastFigures;
    for (const name of ['naive', 'seasonal_naive', 'mean', 'moving_average', 'ar', 'ses', 'holt', 'holt_winters'])
      assert.ok(f.mae[name]! > 0, `${name} is among the baselines`);
    assert.ok(f.best && f.best.name !== 'ar', 'the model’s own method is not its baseline');
    assert.ok(f.mae.naive! > f.mae[f.best.name]!, 'a smoothed baseline beats the last value on noise');
    const html = renderTrainingReport(view('fc@1', metrics, data));
    assertWellFormed(html);
    assert.ok(html.includes(`best baseline: ${f.best.name}`));
    if (skipWithoutChromium()) return t.skip(String(skipWithoutChromium()));
    assertPicture(await screenshot(html, 1200, 1200), 1200, 1200);
  });
});

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Metrics } from '../../../src/ml/pipelines/evaluate-stage.js';
import { trainPipeline } from '../../../src/train/train-pipeline.js';
import type { Dataset, TrainedModel } from '../../../src/ml/pipelines/types.js';
import { reportViewOf } from '../../../src/ml/report/load-report-view.js';
import type { ClassificationFigures } from '../../../src/ml/report/classification-section.js';
import { buildReportData } from '../../../src/ml/report/report-sections.js';
import {
  renderComparisonReport,
  renderTrainingReport,
  type ReportView,
} from '../../../src/ml/report/training-report.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import type { EvaluationSpec } from '../../../src/pipeline/schema.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { loadModel } from '../../../src/registry/load-model.js';
import { tempDir } from '../../helpers/database.js';
import {
  assertPicture,
  assertSelfContained,
  assertWellFormed,
  screenshot,
  skipWithoutChromium,
} from '../../helpers/html-page.js';
import { writeSyntheticPipeline } from '../pipelines/synthetic-pipeline.js';

const dir = tempDir('smx-training-report-');
after(() => rmSync(dir, { recursive: true, force: true }));
const modelsDir = path.join(dir, 'models');
let seeded: ReportView;
let single: ReportView;

before(async () => {
  const { pipeline } = writeSyntheticPipeline(dir, 400);
  const options = { cwd: dir, env: { SMX_TEST_DATA_DIR: dir }, stateDir: '', modelsDir, cache: memoryStageCache() };
  const loaded = loadPipeline(pipeline);
  loaded.spec.description = 'synthetic <machines> & "failures"';
  await trainPipeline(loaded, { ...options, seeds: [0, 1, 2, 3, 4] });
  await trainPipeline(loadPipeline(pipeline), options);
  seeded = await reportViewOf(await loadModel(modelsDir, 'synthetic-failure@1'));
  single = await reportViewOf(await loadModel(modelsDir, 'synthetic-failure@2'));
});

/** A dataset of n rows with one feature `x`, its target and the model's test predictions on every row. */
function fixture(n: number, target: (i: number) => number, score: (i: number) => number) {
  const dataset: Dataset = {
    shape: 'dataset',
    featureNames: ['x'],
    rows: n,
    data: Float64Array.from({ length: n }, (_, i) => Math.sin(i / 9) + i / n),
    target: Float64Array.from({ length: n }, (_, i) => target(i)),
    groups: { names: ['a/1.csv', 'b/2.csv'], index: Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)) },
    time: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 1000),
    encoding: { ordinal: {} },
  };
  const trained: TrainedModel = {
    kind: 'random-forest-regressor',
    model: { featureImportances: [1] },
    featureNames: ['x'],
    encoding: { ordinal: {} },
    params: {},
    fitRows: n,
    fitSeconds: 0,
    test: {
      rows: Int32Array.from({ length: n }, (_, i) => i),
      scores: Float64Array.from({ length: n }, (_, i) => score(i)),
      predicted: null,
      baselines: null,
    },
    fitScores: null,
    classes: null,
  };
  return { dataset, trained };
}

const metricsOf = (kind: Metrics['kind'], metrics: Record<string, number>, detail = {}): Metrics => ({
  kind,
  primary: { name: Object.keys(metrics)[0]!, value: Object.values(metrics)[0]!, higherIsBetter: kind !== 'regression' },
  split: 'test split',
  nFit: 10,
  nTest: 10,
  metrics,
  detail,
  reference: null,
});

const view = (label: string, metrics: Metrics, data: ReportView['data']): ReportView => ({
  label,
  description: 'fixture',
  modelKind: 'fixture',
  metrics,
  data,
});

describe('the training report', () => {
  it('classification over seeds: headline mean ± sd, seeds, curves, confusion heat map, calibration, importances', () => {
    const html = renderTrainingReport(seeded, { generatedAt: '2026-01-01T00:00:00Z' });
    assertWellFormed(html);
    assertSelfContained(html);
    const s = seeded.metrics.seeds!;
    assert.match(html, /macro_f1 <b>\d\.\d{4} ± \d\.\d{4}<\/b>/);
    assert.match(html, new RegExp(`the model is seed ${s.registered}, `));
    for (const title of [
      'macro_f1 per seed',
      'ROC curve',
      'Precision–recall curve',
      'Confusion matrix',
      'Reliability curve',
      'Distribution of P(class 1)',
      'Feature importances',
    ])
      assert.ok(html.includes(`<title>${title}`), title);
    assert.ok(html.includes('synthetic &lt;machines&gt; &amp; &quot;failures&quot;'), 'description escaped');
    // every seed is drawn, and the confusion matrix is the registered seed's
    const matrix = (seeded.metrics.detail.confusion as { matrix: number[][] }).matrix;
    for (const v of matrix.flat()) assert.match(html, new RegExp(`class="cell"[^>]*>${v}<`));
    const f = seeded.data!.section as ClassificationFigures;
    assert.equal(f.roc!.fpr[0], 0);
    assert.equal(f.roc!.tpr[f.roc!.tpr.length - 1], 1);
    assert.ok(f.calibration!.counts.reduce((a, b) => a + b, 0) === seeded.metrics.nTest);
  });

  it('a single run says it is one run, not a mean over seeds', () => {
    const html = renderTrainingReport(single);
    assert.match(html, /one run, not a mean over seeds/);
    assert.doesNotMatch(html, /per seed/);
  });

  it('regression: predicted vs actual and residuals by actual value', () => {
    const { dataset, trained } = fixture(
      200,
      (i) => i,
      (i) => i + (i % 7) - 3 + (i > 150 ? 10 : 0),
    );
    const evaluation: EvaluationSpec = { kind: 'regression' };
    const metrics = metricsOf('regression', { mae: 4.1, rmse: 5 });
    const data = buildReportData({ evaluation, dataset, trained, metrics });
    const html = renderTrainingReport(view('rul@1', metrics, data));
    assertWellFormed(html);
    assert.ok(html.includes('<title>Predicted vs actual, rul@1'));
    assert.ok(html.includes('<title>Residuals by actual value, rul@1'));
    const bins = (data.section as { bins: { center: number; mean: number }[] }).bins;
    assert.equal(bins.length, 12);
    assert.ok(bins[bins.length - 1]!.mean > 5 && Math.abs(bins[0]!.mean) < 1, 'the bias at high values shows');
  });

  it('forecast: the test series with the model and the best baseline (lowest MAE) overlaid', () => {
    const { dataset, trained } = fixture(
      500,
      () => 0,
      (i) => Math.sin(i / 9) + i / 500 + 0.01,
    );
    trained.kind = 'mlp-forecaster';
    const actual = (i: number) => Math.sin(i / 9) + i / 500;
    trained.test.baselines = {
      naive: Float64Array.from({ length: 500 }, (_, i) => actual(Math.max(i - 1, 0))),
      seasonalNaive: Float64Array.from({ length: 500 }, () => 0),
    };
    const metrics = metricsOf('forecast', { mae_ratio_to_best_baseline: 0.2 });
    const data = buildReportData({ evaluation: { kind: 'forecast', season: 60 }, dataset, trained, metrics });
    const html = renderTrainingReport(view('fc@1', metrics, data));
    assertWellFormed(html);
    assert.ok(html.includes('<title>Forecast of x, fc@1'));
    assert.ok(html.includes('best baseline: naive'));
    assert.ok(html.includes('seconds since the test period began'));
  });

  it('anomaly: the score over the rows with the labelled anomalies shaded and the threshold', () => {
    const { dataset, trained } = fixture(
      4000,
      (i) => ((i >= 1000 && i < 1200) || i >= 3500 ? 1 : 0),
      (i) => ((i >= 1000 && i < 1200) || i >= 3500 ? 2 : 0) + Math.sin(i),
    );
    trained.kind = 'isolation-forest';
    const metrics = metricsOf('anomaly', { roc_auc: 0.9, pr_auc: 0.8 }, { threshold: 1.5 });
    const data = buildReportData({
      evaluation: { kind: 'anomaly', thresholdQuantile: 0.99, persistence: 1, seed: 0 },
      dataset,
      trained,
      metrics,
    });
    const f = data.section as { anomalies: number[][]; x: number[] };
    assert.deepEqual(f.anomalies, [
      [1000, 1200],
      [3500, 4000],
    ]);
    assert.ok(f.x.length <= 3000);
    const html = renderTrainingReport(view('det@1', metrics, data));
    assertWellFormed(html);
    assert.ok(html.includes('<title>Anomaly score, det@1'));
    assert.ok(html.includes('alarm threshold 1.5'));
    assert.ok(html.includes('labelled anomaly'));
  });

  it('a kind without a section still gets its figures and says so', () => {
    const html = renderTrainingReport(view('x@1', metricsOf('regression', { mae: 1 }), null));
    assert.match(html, /registered before the training report existed/);
  });

  it('compares two versions side by side with the change in each figure', () => {
    const html = renderComparisonReport(seeded, single);
    assertWellFormed(html);
    assertSelfContained(html);
    assert.ok(html.includes('<h1>synthetic-failure@1 and synthetic-failure@2</h1>'));
    assert.match(html, /class="pair"/);
    assert.match(html, /<td class="num">[+-]\d/);
    assert.equal(html.match(/<title>ROC curve/g)?.length, 2);
  });
});

describe('the training report renders in headless Chromium', { skip: skipWithoutChromium() }, () => {
  it('a page with every chart is a non-trivial picture', async () => {
    const png = await screenshot(renderTrainingReport(seeded), 1200, 2400);
    assertPicture(png, 1200, 2400, 60_000);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePredictions } from '../../../src/ml/pipelines/evaluate-stage.js';
import { modelStage } from '../../../src/ml/pipelines/model-stage.js';
import { splitStage } from '../../../src/ml/pipelines/split-stage.js';
import type { ProtocolFigures } from '../../../src/ml/report/anomaly-protocol-section.js';
import { buildReportData } from '../../../src/ml/report/report-sections.js';
import { renderTrainingReport } from '../../../src/ml/report/training-report.js';
import {
  assertPicture,
  assertSelfContained,
  assertWellFormed,
  screenshot,
  skipWithoutChromium,
} from '../../helpers/html-page.js';
import { perGroupDataset } from '../anomaly/per-group-dataset.js';

const context = { cwd: '.', env: {} };
const evaluation = {
  kind: 'anomaly' as const,
  thresholdQuantile: 0.99,
  threshold: { rule: 'calibrated' as const, targetFar: 0.1, margin: 1 },
  persistence: 1,
  seed: 0,
};

async function page() {
  const ds = perGroupDataset();
  const plan = await splitStage.run(
    { kind: 'per-group', fitRows: 30, calibrationRows: 10, validationGroups: ['y/*'] },
    [ds],
    context,
  );
  const trained = await modelStage.run(
    {
      kind: 'pca-monitor',
      params: { components: 1, limits: 'theoretical', t2Distribution: 'f', alpha: 0.01, rule: 't2-or-q' },
    },
    [ds, plan],
    context,
  );
  const metrics = evaluatePredictions(evaluation, ds, plan, trained);
  const data = buildReportData({ evaluation, dataset: ds, trained, metrics });
  const html = renderTrainingReport({
    label: 'pca@1',
    description: 'fixture',
    modelKind: 'pca-monitor',
    metrics,
    data,
  });
  return { html, protocol: (data.section as { protocol: ProtocolFigures }).protocol };
}

describe('the anomaly report for a per-group detector', () => {
  it("each group's run with its own threshold, the baselines beside the model, PCA contributions of the top alarms", async () => {
    const { html, protocol } = await page();
    assertWellFormed(html);
    assertSelfContained(html);
    assert.deepEqual(
      protocol.panels.map((p) => [p.name, p.role, p.fitEnd, p.calibrationEnd]),
      [
        ['x/0.csv', 'test', 30, 40],
        ['x/1.csv', 'test', 30, 40],
        ['y/0.csv', 'validation', 30, 40],
      ],
    );
    assert.ok(protocol.panels.every((p) => p.threshold !== null && p.anomalies.length === 1));
    assert.deepEqual(
      protocol.comparison.map((c) => c.name),
      ['model', 'always-anomaly', 'position', 'random', 'position-rf'],
    );
    assert.ok(html.includes('The model beside the trivial baselines (same rows)'));
    assert.ok(html.includes('<title>x/0.csv (test), pca@1'));
    assert.ok(html.includes('Which sensors drive the top alarms (PCA contributions)'));
    // The planted fault shifts both sensors: every top alarm is driven by a and b together.
    assert.equal(protocol.contributions!.features.join(','), 'a,b');
    assert.ok(protocol.contributions!.rows.length > 0);
  });

  it('renders in headless Chromium as a non-trivial picture', { skip: skipWithoutChromium() }, async () => {
    const { html } = await page();
    assertPicture(await screenshot(html, 1200, 2400), 1200, 2400, 60_000);
  });
});

import type { Stage } from '../../pipeline/stage.js';
import type { EvaluationSpec } from '../../pipeline/schema.js';
import type { ModelSpec } from '../../pipeline/schema.js';
import { classificationReport } from '../metrics/classification-report.js';
import { alarmTrace, anomalyEvaluation } from './anomaly-evaluation.js';
import { positionBaseline } from './position-baseline.js';
import { averagePrecision, rocAuc } from '../metrics/ranking-metrics.js';
import { regressionReport } from '../metrics/regression-metrics.js';
import { forecastMetrics } from './forecast-evaluation.js';
import { rulMetrics } from './rul-evaluation.js';
import type { Metrics } from '../metrics/types.js';
import { groupNoveltyMetrics } from './group-novelty-evaluation.js';
import { nabMetrics } from './nab-evaluation.js';
import { runToFailureMetrics } from './run-to-failure-evaluation.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

// The Metrics type lives in the leaf ml/metrics/types.ts (the registry reads it too); re-exported for callers here.
export type { Metrics } from '../metrics/types.js';

/**
 * Cache-key version of the evaluation per kind (as modelKindVersions), so a
 * change to one kind's figures re-keys only the pipelines evaluated that way.
 * anomaly 2: thresholds by rule (calibrated on unseen normal rows, per group),
 * SKAB's pooled F1/FAR/MAR, the trivial baselines beside the model.
 * forecast 2: the statistical forecasters join naive and seasonal naive as
 * baselines, and the ratio is to the best of them all.
 */
export const evaluationKindVersions: Record<EvaluationSpec['kind'], string> = {
  classification: '1',
  anomaly: '2',
  regression: '1',
  rul: '1',
  forecast: '2',
  nab: '1',
  'group-novelty': '1',
  'run-to-failure': '1',
};

/** Evaluation params as the stage gets them: a classifier's position baseline needs the model's settings. */
export type EvaluationParams = EvaluationSpec & { model?: ModelSpec };

export const evaluateStage: Stage<EvaluationParams, readonly [Dataset, SplitPlan, TrainedModel], Metrics> = {
  kind: 'evaluate',
  version: '1', // the pipeline graph keys evaluation nodes by evaluationKindVersions instead
  async run(params, [ds, plan, trained]) {
    return evaluatePredictions(params, ds, plan, trained);
  },
};

export function evaluatePredictions(
  params: EvaluationParams,
  ds: Dataset,
  plan: SplitPlan,
  trained: TrainedModel,
): Metrics {
  const split = plan.describe;
  const { rows, scores } = trained.test;
  const y = ds.target ? Float64Array.from(rows, (r) => ds.target![r] as number) : null;
  const base = {
    kind: params.kind,
    split,
    nFit: trained.fitRows,
    nTest: rows.length,
    reference: params.reference ?? null,
  };
  switch (params.kind) {
    case 'classification': {
      const classes = trained.classes ?? [];
      const binary = classes.length === 2;
      const predicted = binary
        ? scores.map((s) => (s >= params.threshold ? (classes[1] as number) : (classes[0] as number)))
        : trained.test.predicted!;
      const report = classificationReport(y!, predicted, classes);
      const metrics: Record<string, number> = {
        accuracy: report.accuracy,
        macro_f1: report.macroF1,
        weighted_f1: report.weightedF1,
      };
      for (const c of report.perClass) {
        metrics[`precision_${c.label}`] = c.precision;
        metrics[`recall_${c.label}`] = c.recall;
        metrics[`f1_${c.label}`] = c.f1;
      }
      if (binary) {
        metrics.roc_auc = rocAuc(y!, scores, classes[1]);
        metrics.pr_auc = averagePrecision(y!, scores, classes[1]);
      }
      const position =
        params.positionBaseline && params.model?.kind === 'random-forest-classifier'
          ? positionBaseline(params.model, ds, plan, y!, rows, params.threshold)
          : null;
      if (position) Object.assign(metrics, position.metrics);
      return {
        ...base,
        primary: { name: 'macro_f1', value: report.macroF1, higherIsBetter: true },
        metrics,
        detail: {
          threshold: params.threshold,
          perClass: report.perClass,
          confusion: { labels: report.labels, matrix: report.confusion },
          ...(position ? { positionBaseline: position.detail } : {}),
        },
      };
    }
    case 'anomaly':
      return y
        ? { ...base, ...anomalyEvaluation(params, ds, plan, trained) }
        : { ...base, ...unlabelledAnomalyMetrics(params, ds, plan, trained) };
    case 'run-to-failure':
      return { ...base, ...runToFailureMetrics(trained) };
    case 'group-novelty':
      return { ...base, ...groupNoveltyMetrics(params, ds, plan, trained) };
    case 'nab':
      return { ...base, ...nabMetrics(params, ds, plan, trained) };
    case 'regression': {
      const r = regressionReport(y!, scores);
      return {
        ...base,
        primary: { name: 'mae', value: r.mae, higherIsBetter: false },
        metrics: { mae: r.mae, rmse: r.rmse, mape: r.mape, r2: r.r2 },
        detail: { mapeSkippedZeroTargets: r.mapeSkippedZeroTargets },
      };
    }
    case 'rul':
      return { ...base, ...rulMetrics(ds, plan, trained) };
    case 'forecast':
      return { ...base, ...forecastMetrics(params.season, ds, trained) };
  }
}

/** numpy.quantile with linear interpolation. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] as number) + (pos - lo) * ((s[hi] as number) - (s[lo] as number));
}

function unlabelledAnomalyMetrics(
  params: Extract<EvaluationSpec, { kind: 'anomaly' }>,
  ds: Dataset,
  plan: SplitPlan,
  trained: TrainedModel,
): Pick<Metrics, 'primary' | 'metrics' | 'detail'> {
  const trace = alarmTrace(params, ds, plan, trained);
  const test = trace.rows.filter((r) => r.part === 'test');
  const scores = test.map((r) => r.score);
  const alarmShare = test.filter((r) => r.alarm).length / Math.max(1, test.length);
  const thresholds = [...trace.thresholds.values()];
  return {
    primary: { name: 'alarm_share', value: alarmShare, higherIsBetter: false },
    metrics: {
      alarm_share: alarmShare,
      score_p50: quantile(scores, 0.5),
      score_p99: quantile(scores, 0.99),
      threshold: thresholds.length === 1 ? thresholds[0]! : quantile(thresholds, 0.5),
    },
    detail: {
      threshold: thresholds.length === 1 ? thresholds[0]! : null,
      thresholds: Object.fromEntries([...trace.thresholds].map(([g, t]) => [ds.groups.names[g] ?? String(g), t])),
      thresholdRule: trace.rule,
      thresholdQuantile: trace.rule.rule === 'fit-quantile' ? trace.rule.quantile : undefined,
      note: 'no labels: only the score distribution and the share of rows above the alarm threshold are reported',
    },
  };
}

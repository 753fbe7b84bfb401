import type { Stage } from '../../pipeline/stage.js';
import type { EvaluationSpec } from '../../pipeline/schema.js';
import { classificationReport } from '../metrics/classification-report.js';
import { averagePrecision, precisionAtRate, rocAuc } from '../metrics/ranking-metrics.js';
import { regressionReport } from '../metrics/regression-metrics.js';
import { forecastMetrics } from './forecast-evaluation.js';
import { rulMetrics } from './rul-evaluation.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

/**
 * metrics.json: the primary metric (what `smx models recommend` ranks by and
 * a retrain compares champion and challenger on), a flat table of named
 * figures, and the detail a reviewer needs (per-class report, confusion matrix,
 * per-group figures, baselines), with the split described in words.
 */
export interface Metrics {
  kind: EvaluationSpec['kind'];
  primary: { name: string; value: number; higherIsBetter: boolean };
  split: string;
  nFit: number;
  nTest: number;
  metrics: Record<string, number>;
  detail: Record<string, unknown>;
  reference: { source: string; metrics: Record<string, number> } | null;
}

/**
 * Cache-key version of the evaluation per kind (as modelKindVersions), so a
 * change to one kind's figures re-keys only its pipelines.
 * forecast 2: the statistical forecasters join naive and seasonal naive as
 * baselines, and the ratio is to the best of them all.
 */
export const evaluationKindVersions: Record<EvaluationSpec['kind'], string> = {
  classification: '1',
  anomaly: '1',
  regression: '1',
  rul: '1',
  forecast: '2',
};

export const evaluateStage: Stage<EvaluationSpec, readonly [Dataset, SplitPlan, TrainedModel], Metrics> = {
  kind: 'evaluate',
  version: '1', // the pipeline graph keys evaluation nodes by evaluationKindVersions instead
  async run(params, [ds, plan, trained]) {
    return evaluatePredictions(params, ds, plan.describe, trained, plan);
  },
};

export function evaluatePredictions(
  params: EvaluationSpec,
  ds: Dataset,
  split: string,
  trained: TrainedModel,
  /** The split, when known: baselines that are fitted (RUL) need each fold's fit rows. */
  plan: SplitPlan | null = null,
): Metrics {
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
      return {
        ...base,
        primary: { name: 'macro_f1', value: report.macroF1, higherIsBetter: true },
        metrics,
        detail: {
          threshold: params.threshold,
          perClass: report.perClass,
          confusion: { labels: report.labels, matrix: report.confusion },
        },
      };
    }
    case 'anomaly':
      return { ...base, ...anomalyMetrics(params.thresholdQuantile, ds, trained, y) };
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

function anomalyMetrics(
  q: number,
  ds: Dataset,
  trained: TrainedModel,
  y: Float64Array | null,
): Pick<Metrics, 'primary' | 'metrics' | 'detail'> {
  const { rows, scores } = trained.test;
  const threshold = quantile(trained.fitScores!, q);
  const alarms = scores.map((s) => (s > threshold ? 1 : 0));
  const alarmShare = alarms.reduce((a, b) => a + b, 0) / alarms.length;
  if (!y) {
    return {
      primary: { name: 'alarm_share', value: alarmShare, higherIsBetter: false },
      metrics: {
        alarm_share: alarmShare,
        score_p50: quantile(scores, 0.5),
        score_p99: quantile(scores, 0.99),
        threshold,
      },
      detail: {
        thresholdQuantile: q,
        note: 'no labels: only the score distribution and the share of rows above the alarm threshold are reported',
      },
    };
  }
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  for (let i = 0; i < y.length; i++) {
    if (alarms[i] === 1) {
      if (y[i] === 1) tp++;
      else fp++;
    } else if (y[i] === 1) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const byPrefix: Record<string, { rows: number; anomalyShare: number; rocAuc: number }> = {};
  const prefixes = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const prefix = (ds.groups.names[ds.groups.index[r] as number] ?? '').split('/')[0] ?? '';
    if (!prefixes.has(prefix)) prefixes.set(prefix, []);
    prefixes.get(prefix)!.push(i);
  });
  for (const [prefix, idx] of prefixes) {
    const yy = Float64Array.from(idx, (i) => y[i] as number);
    byPrefix[prefix] = {
      rows: idx.length,
      anomalyShare: yy.reduce((a, b) => a + b, 0) / idx.length,
      rocAuc: rocAuc(
        yy,
        Float64Array.from(idx, (i) => scores[i] as number),
      ),
    };
  }
  const auc = rocAuc(y, scores);
  return {
    primary: { name: 'roc_auc', value: auc, higherIsBetter: true },
    metrics: {
      roc_auc: auc,
      pr_auc: averagePrecision(y, scores),
      precision_at_anomaly_rate: precisionAtRate(y, scores),
      anomaly_rate: (tp + fn) / y.length,
      f1_at_threshold: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      precision_at_threshold: precision,
      recall_at_threshold: recall,
      false_alarm_rate: fp + tn ? fp / (fp + tn) : 0,
      missed_alarm_rate: tp + fn ? fn / (tp + fn) : 0,
    },
    detail: {
      threshold,
      thresholdQuantile: q,
      confusion: {
        labels: [0, 1],
        matrix: [
          [tn, fp],
          [fn, tp],
        ],
      },
      byGroupFolder: byPrefix,
    },
  };
}

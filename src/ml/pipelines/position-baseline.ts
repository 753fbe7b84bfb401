import type { ModelSpec } from '../../pipeline/schema.js';
import { classificationReport } from '../metrics/classification-report.js';
import { averagePrecision, rocAuc } from '../metrics/ranking-metrics.js';
import { RandomForestClassifier } from '../tree/random-forest-classifier.js';
import { rowPositions } from './features/dataset-ops.js';
import { positiveScores } from './model-stage.js';
import type { Dataset, SplitPlan } from './types.js';

/**
 * The same classifier, the same folds, one feature: the row's position in its
 * group ("seconds since the experiment started"). If this scores as well as the
 * model, the model's figure says more about how the experiments were run (SKAB:
 * anomalies start near row 570 in every file) than about the sensors.
 */
export function positionBaseline(
  model: Extract<ModelSpec, { kind: 'random-forest-classifier' }>,
  ds: Dataset,
  plan: SplitPlan,
  y: Float64Array,
  rows: Int32Array,
  threshold: number,
) {
  const position = rowPositions(ds);
  const x = (rs: Int32Array) => ({ rows: rs.length, cols: 1, data: Float64Array.from(rs, (r) => position[r]!) });
  const byRow = new Map<number, { score: number; predicted: number }>();
  let classes: number[] = [];
  for (const fold of plan.folds) {
    if (fold.test.length === 0) continue;
    const forest = new RandomForestClassifier({ ...model.params, maxFeatures: 'all' }).train(
      x(fold.fit),
      Float64Array.from(fold.fit, (r) => ds.target![r]!),
    );
    classes = forest.classes;
    const p = positiveScores(forest.predictProba(x(fold.test)), forest.classes);
    fold.test.forEach((r, i) => byRow.set(r, { score: p.scores[i]!, predicted: p.predicted[i]! }));
  }
  const scores = Float64Array.from(rows, (r) => byRow.get(r)?.score ?? 0);
  const binary = classes.length === 2;
  const predicted = binary
    ? scores.map((s) => (s >= threshold ? classes[1]! : classes[0]!))
    : Float64Array.from(rows, (r) => byRow.get(r)?.predicted ?? classes[0]!);
  const report = classificationReport(y, predicted, classes);
  const metrics: Record<string, number> = { position_macro_f1: report.macroF1 };
  if (binary) {
    metrics.position_roc_auc = rocAuc(y, scores, classes[1]);
    metrics.position_pr_auc = averagePrecision(y, scores, classes[1]);
  }
  return {
    metrics,
    detail: {
      feature: 'position of the row in its group (rows since the group started)',
      macroF1: report.macroF1,
      perClass: report.perClass,
    },
  };
}

import type { EvaluationSpec } from '../../pipeline/schema.js';
import { Random } from '../../random.js';
import { partialRocAuc } from '../metrics/partial-auc.js';
import { rocAuc } from '../metrics/ranking-metrics.js';
import { linearQuantile as quantile, type EvaluationFigures } from './evaluation-figures.js';
import type { FoldScores, GroupNoveltyModel } from './group-novelty-model.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type Spec = Extract<EvaluationSpec, { kind: 'group-novelty' }>;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const round = (x: number) => Math.round(x * 10000) / 10000;

/** Per seed, the mean over groups of `f(fold)`; then mean and sd over seeds. */
function overSeeds(folds: FoldScores[], f: (fold: FoldScores, i: number) => number) {
  const bySeed = new Map<number, number[]>();
  folds.forEach((fold, i) => {
    if (!bySeed.has(fold.seed)) bySeed.set(fold.seed, []);
    bySeed.get(fold.seed)!.push(f(fold, i));
  });
  const perSeed = [...bySeed.values()].map(mean);
  return { mean: mean(perSeed), sd: sd(perSeed), perSeed };
}

/**
 * Per-group novelty detection figures on the test rows: ROC-AUC and pAUC
 * (DCASE's, max FPR 0.1, McClish) averaged over groups, then mean ± sd over
 * seeds; per group label part (machine id, noise level); the alarm threshold
 * calibrated per group on validation normals (never fitted rows) with the
 * false-alarm rate it reaches on test normals; and the trivial baselines on
 * the same rows (random scores, row position with its direction chosen on
 * validation, always-anomaly).
 */
export function groupNoveltyMetrics(params: Spec, ds: Dataset, plan: SplitPlan, trained: TrainedModel) {
  const model = trained.model as GroupNoveltyModel;
  const normalLabel = plan.normalLabel ?? 0;
  const y = (rows: number[]) => rows.map((r) => (ds.target![r] === normalLabel ? 0 : 1));
  const folds = model.folds;
  const auc = overSeeds(folds, (f) => rocAuc(y(f.test.rows), f.test.scores));
  const pauc = overSeeds(folds, (f) => partialRocAuc(y(f.test.rows), f.test.scores, params.maxFpr));
  // Alarm threshold per fold from the validation normals' scores only.
  const alarm = folds.map((f) => {
    const yv = y(f.validation.rows);
    const threshold = quantile(
      f.validation.scores.filter((_, i) => yv[i] === 0),
      1 - params.targetFalseAlarmRate,
    );
    const yt = y(f.test.rows);
    let fp = 0,
      tn = 0,
      tp = 0,
      fn = 0;
    f.test.scores.forEach((s, i) => {
      const alarmed = s > threshold;
      if (yt[i] && alarmed) tp++;
      else if (yt[i]) fn++;
      else if (alarmed) fp++;
      else tn++;
    });
    return { far: fp / (fp + tn), recall: tp / (tp + fn), f1: (2 * tp) / (2 * tp + fp + fn) };
  });
  const far = overSeeds(folds, (_, i) => alarm[i]!.far);
  const recall = overSeeds(folds, (_, i) => alarm[i]!.recall);
  const f1 = overSeeds(folds, (_, i) => alarm[i]!.f1);
  // Trivial baselines on the same test rows.
  const random = overSeeds(folds, (f) => {
    const rng = new Random(f.seed * 7919 + 1);
    return rocAuc(
      y(f.test.rows),
      f.test.rows.map(() => rng.nextFloat()),
    );
  });
  const position = overSeeds(folds, (f) => {
    const dir = rocAuc(y(f.validation.rows), f.validation.rows) >= 0.5 ? 1 : -1;
    return rocAuc(
      y(f.test.rows),
      f.test.rows.map((r) => dir * r),
    );
  });
  const always = overSeeds(folds, (f) => {
    const yt = y(f.test.rows);
    const tp = yt.reduce((a: number, b) => a + b, 0);
    return (2 * tp) / (2 * tp + (yt.length - tp));
  });
  // By part of the group name (machine_id=0/SNR=-6 → machine_id=0, SNR=-6).
  const byPart: Record<string, { auc: number; sd: number; pauc: number }> = {};
  const parts = new Set(folds.flatMap((f) => f.group.split('/')));
  for (const part of [...parts].sort()) {
    const subset = folds.filter((f) => f.group.split('/').includes(part));
    const a = overSeeds(subset, (f) => rocAuc(y(f.test.rows), f.test.scores));
    const p = overSeeds(subset, (f) => partialRocAuc(y(f.test.rows), f.test.scores, params.maxFpr));
    byPart[part] = { auc: round(a.mean), sd: round(a.sd), pauc: round(p.mean) };
  }
  const candidates = model.candidates.map((c) => {
    const tests = model.candidateTests[c.name]!;
    const a = overSeeds(folds, (f, i) => rocAuc(y(f.test.rows), tests[i]!));
    return { ...c, testAucMean: round(a.mean), testAucSd: round(a.sd) };
  });
  const metrics: Record<string, number> = {
    roc_auc: auc.mean,
    roc_auc_sd: auc.sd,
    pauc: pauc.mean,
    pauc_sd: pauc.sd,
    false_alarm_rate: far.mean,
    false_alarm_rate_sd: far.sd,
    recall_at_threshold: recall.mean,
    f1_at_threshold: f1.mean,
    target_false_alarm_rate: params.targetFalseAlarmRate,
    random_roc_auc: random.mean,
    position_roc_auc: position.mean,
    always_anomaly_f1: always.mean,
    seeds: auc.perSeed.length,
  };
  for (const c of candidates) metrics[`${c.name}_roc_auc`] = c.testAucMean;
  const detail = {
    chosen: model.chosen,
    transform: model.transform,
    perSeedRocAuc: auc.perSeed,
    byGroupPart: byPart,
    candidates,
    baselines: {
      random: 'uniform random scores',
      position: 'row index in the file, direction chosen on the validation rows',
      always: 'every test row flagged: F1 at FAR 100 %',
    },
    threshold: `per group: the ${1 - params.targetFalseAlarmRate} quantile of the validation normals' scores (rows the detector was not fitted on)`,
  };
  return {
    primary: { name: 'roc_auc', value: auc.mean, higherIsBetter: true },
    metrics,
    detail,
  } satisfies EvaluationFigures;
}

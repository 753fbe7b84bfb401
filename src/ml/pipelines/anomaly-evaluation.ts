import type { EvaluationSpec, ThresholdSpec } from '../../pipeline/schema.js';
import { alarmFigures, countAlarms, type AlarmFigures } from '../anomaly/alarm-metrics.js';
import { alarmThreshold } from '../anomaly/alarm-threshold.js';
import { persistentAlarms } from '../anomaly/persistence.js';
import { quantileOf } from '../anomaly/quantile.js';
import { trivialBaselines, type BaselineFigures } from '../anomaly/trivial-baselines.js';
import { averagePrecision, precisionAtRate, rocAuc } from '../metrics/ranking-metrics.js';
import { rowPositions } from './features/dataset-ops.js';
import { inputError } from '../../errors.js';
import { nabProfiles } from '../anomaly/nab/nab-profiles.js';
import { skabChangepointScore, type ChangepointFile } from '../anomaly/nab/skab-changepoint-score.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type AnomalySpec = Extract<EvaluationSpec, { kind: 'anomaly' }>;

/**
 * Every scored row of a detector run, with its alarm: per group, the rows in
 * source order (fit, calibration and test rows alike), the threshold that
 * applies to the group, and the alarms after persistence. Pure bookkeeping for
 * the evaluation and the report.
 */
export interface ScoredRow {
  row: number;
  group: number;
  position: number;
  score: number;
  part: 'fit' | 'calibration' | 'test';
  alarm: 0 | 1;
}

export interface AlarmTrace {
  rows: ScoredRow[];
  thresholds: Map<number, number>;
  rule: ThresholdSpec;
  scope: 'group' | 'pooled';
}

/** The rule the spec names, or the legacy `thresholdQuantile` of the fitted rows. */
export const thresholdRule = (spec: AnomalySpec): ThresholdSpec =>
  spec.threshold ?? { rule: 'fit-quantile', quantile: spec.thresholdQuantile, margin: 1 };

export function alarmTrace(spec: AnomalySpec, ds: Dataset, plan: SplitPlan, trained: TrainedModel): AlarmTrace {
  const positions = rowPositions(ds);
  const rule = thresholdRule(spec);
  const a = trained.anomaly ?? {
    fit: { rows: new Int32Array(0), scores: trained.fitScores ?? new Float64Array(0) },
    calibration: null,
    limit: null,
  };
  const rows: ScoredRow[] = [];
  const add = (part: ScoredRow['part'], rs: Int32Array, scores: Float64Array) =>
    rs.forEach((r, i) =>
      rows.push({
        row: r,
        group: ds.groups.index[r]!,
        position: positions[r]!,
        score: scores[i]!,
        part,
        alarm: 0,
      }),
    );
  add('fit', a.fit.rows, a.fit.scores);
  if (a.calibration) add('calibration', a.calibration.rows, a.calibration.scores);
  add('test', trained.test.rows, trained.test.scores);

  // Per group when each group has its own model, or when every scored group has its own calibration rows.
  const calGroups = new Set(rows.filter((r) => r.part === 'calibration').map((r) => r.group));
  const testGroups = new Set(rows.filter((r) => r.part === 'test').map((r) => r.group));
  const scope: AlarmTrace['scope'] =
    plan.mode === 'per-group' || (rule.rule === 'calibrated' && [...testGroups].every((g) => calGroups.has(g)))
      ? 'group'
      : 'pooled';
  const thresholds = new Map<number, number>();
  const scoresOf = (part: ScoredRow['part'], g?: number) =>
    rows.filter((r) => r.part === part && (g === undefined || r.group === g)).map((r) => r.score);
  const pooled = () =>
    alarmThreshold(rule, { fit: a.fit.scores, calibration: a.calibration?.scores ?? null, limit: a.limit });
  if (scope === 'group') {
    let shared: number | undefined;
    for (const g of new Set(rows.map((r) => r.group))) {
      // A group with no rows of its own to set a threshold (a novelty detector's fit group) takes the pooled one.
      const own = plan.mode === 'per-group' || calGroups.has(g);
      thresholds.set(
        g,
        own
          ? alarmThreshold(rule, {
              fit: plan.mode === 'per-group' ? scoresOf('fit', g) : a.fit.scores,
              calibration: calGroups.has(g) ? scoresOf('calibration', g) : null,
              limit: a.limit,
            })
          : (shared ??= pooled()),
      );
    }
  } else {
    const t = pooled();
    for (const g of new Set(rows.map((r) => r.group))) thresholds.set(g, t);
  }
  // Alarms per group in source order, so persistence looks back over the rows before (never after).
  const byGroup = new Map<number, ScoredRow[]>();
  for (const r of rows) {
    if (!byGroup.has(r.group)) byGroup.set(r.group, []);
    byGroup.get(r.group)!.push(r);
  }
  for (const [g, list] of byGroup) {
    list.sort((x, y) => x.position - y.position);
    const t = thresholds.get(g)!;
    const alarms = persistentAlarms(
      list.map((r) => (r.score > t ? 1 : 0)),
      spec.persistence,
    );
    list.forEach((r, i) => (r.alarm = alarms[i] as 0 | 1));
  }
  return { rows, thresholds, rule, scope };
}

const finite = (rows: ScoredRow[]) => rows.filter((r) => !Number.isNaN(r.score));

function figures(rows: ScoredRow[], y: Float64Array) {
  const labels = rows.map((r) => y[r.row]!);
  const f = alarmFigures(
    countAlarms(
      labels,
      rows.map((r) => r.alarm),
    ),
  );
  const ranked = finite(rows);
  const ry = ranked.map((r) => y[r.row]!);
  const rs = ranked.map((r) => r.score);
  const both = new Set(ry).size === 2;
  return {
    ...f,
    rocAuc: both ? rocAuc(ry, rs) : NaN,
    prAuc: both ? averagePrecision(ry, rs) : NaN,
    precisionAtRate: both ? precisionAtRate(ry, rs) : NaN,
    anomalyRate: labels.reduce((s, v) => s + v, 0) / Math.max(1, labels.length),
    rows: rows.length,
  };
}

/** One table row per detector: the model first, then the trivial baselines on the same rows. */
function comparison(model: ReturnType<typeof figures>, baselines: Record<string, BaselineFigures>) {
  const verdicts: string[] = [];
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));
  for (const [name, b] of Object.entries(baselines)) {
    if (b.rocAuc >= model.rocAuc && name !== 'always-anomaly')
      verdicts.push(`does not beat ${name} on ROC-AUC (${fmt(model.rocAuc)} vs ${fmt(b.rocAuc)})`);
    if (b.f1 !== undefined && b.f1 >= model.f1)
      verdicts.push(
        `does not beat ${name} on F1 (${fmt(model.f1)} vs ${fmt(b.f1)} at FAR ${fmt(model.far)} vs ${fmt(b.far)})`,
      );
  }
  return verdicts.map((v) => `the model ${v}`);
}

export function anomalyEvaluation(spec: AnomalySpec, ds: Dataset, plan: SplitPlan, trained: TrainedModel) {
  const trace = alarmTrace(spec, ds, plan, trained);
  const y = ds.target!;
  const validation = new Set(plan.validationGroups ?? []);
  const test = trace.rows.filter((r) => r.part === 'test' && !validation.has(r.group));
  const testGroups = new Set(test.map((r) => r.group));
  const head = figures(test, y);
  const positionCut = quantileOf(
    trace.rows
      .filter((r) => r.part === (trace.rows.some((x) => x.part === 'calibration') ? 'calibration' : 'fit'))
      .map((r) => r.position),
    trace.rule.rule === 'calibrated' ? 1 - trace.rule.targetFar : 0.99,
  );
  // Every group a validation group (tuning runs): no headline rows, so no baselines on them.
  const baselines =
    test.length === 0
      ? {}
      : trivialBaselines({
          labels: Float64Array.from(test, (r) => y[r.row]!),
          positions: Int32Array.from(test, (r) => r.position),
          groups: Int32Array.from(test, (r) => r.group),
          alarmRate: (head.tp + head.fp) / Math.max(1, test.length),
          positionCut: Number.isNaN(positionCut) ? (plan.scoreFrom ?? 0) : positionCut,
          seed: spec.seed,
        });
  const metrics: Record<string, number> = {
    roc_auc: head.rocAuc,
    pr_auc: head.prAuc,
    precision_at_anomaly_rate: head.precisionAtRate,
    anomaly_rate: head.anomalyRate,
    f1_at_threshold: head.f1,
    precision_at_threshold: head.precision,
    recall_at_threshold: head.recall,
    false_alarm_rate: head.far,
    missed_alarm_rate: head.mar,
  };
  if (trace.rule.rule === 'calibrated') {
    metrics.target_far = trace.rule.targetFar;
    const cal = trace.rows.filter((r) => r.part === 'calibration' && testGroups.has(r.group));
    metrics.calibration_far = cal.filter((r) => r.alarm).length / Math.max(1, cal.length);
  }
  let allRows: ReturnType<typeof figures> | null = null;
  if (plan.mode === 'per-group') {
    allRows = figures(
      trace.rows.filter((r) => testGroups.has(r.group)),
      y,
    );
    metrics.f1_all_rows = allRows.f1;
    metrics.far_all_rows = allRows.far;
    metrics.mar_all_rows = allRows.mar;
  }
  const changepoints = spec.changepoints ? changepointFigures(spec.changepoints, ds, trace, testGroups) : null;
  if (changepoints)
    for (const [profile, v] of Object.entries(changepoints.scores)) metrics[`changepoint_nab_${profile}`] = v;
  for (const [name, b] of Object.entries(baselines)) {
    const key = name.replace(/-/g, '_');
    metrics[`${key}_roc_auc`] = b.rocAuc;
    if (b.f1 !== undefined) {
      metrics[`${key}_f1`] = b.f1;
      metrics[`${key}_far`] = b.far!;
    }
  }
  const valRows = trace.rows.filter((r) => r.part === 'test' && validation.has(r.group));
  const val = valRows.length ? figures(valRows, y) : null;
  const valAll =
    val && plan.mode === 'per-group'
      ? figures(
          trace.rows.filter((r) => validation.has(r.group)),
          y,
        )
      : null;
  if (val) {
    metrics.validation_f1 = val.f1;
    metrics.validation_far = val.far;
    metrics.validation_roc_auc = val.rocAuc;
  }
  if (valAll) {
    metrics.validation_f1_all_rows = valAll.f1;
    metrics.validation_far_all_rows = valAll.far;
  }
  const name = (g: number) => ds.groups.names[g] ?? String(g);
  const byFolder: Record<string, { rows: number; anomalyShare: number; rocAuc: number; f1: number; far: number }> = {};
  for (const folder of new Set(test.map((r) => name(r.group).split('/')[0] ?? ''))) {
    const f = figures(
      test.filter((r) => (name(r.group).split('/')[0] ?? '') === folder),
      y,
    );
    byFolder[folder] = { rows: f.rows, anomalyShare: f.anomalyRate, rocAuc: f.rocAuc, f1: f.f1, far: f.far };
  }
  const byGroup: Record<string, unknown> = {};
  for (const g of [...new Set(trace.rows.filter((r) => r.part === 'test').map((r) => r.group))].sort((a, b) => a - b)) {
    const f = figures(
      trace.rows.filter((r) => r.part === 'test' && r.group === g),
      y,
    );
    byGroup[name(g)] = {
      role: validation.has(g) ? 'validation' : 'test',
      rows: f.rows,
      anomalyShare: f.anomalyRate,
      threshold: trace.thresholds.get(g),
      f1: f.f1,
      far: f.far,
      mar: f.mar,
      rocAuc: f.rocAuc,
    };
  }
  const perGroup = plan.mode === 'per-group';
  const primary = perGroup
    ? { name: 'f1_at_threshold', value: head.f1, higherIsBetter: true }
    : { name: 'roc_auc', value: head.rocAuc, higherIsBetter: true };
  const pick = (f: Partial<AlarmFigures> & { rocAuc: number; prAuc: number }) => ({
    f1: f.f1 ?? null,
    far: f.far ?? null,
    mar: f.mar ?? null,
    rocAuc: f.rocAuc,
    prAuc: f.prAuc,
  });
  return {
    primary,
    metrics,
    detail: {
      threshold: trace.scope === 'pooled' ? trace.thresholds.values().next().value : null,
      thresholds: Object.fromEntries([...trace.thresholds].map(([g, t]) => [name(g), t])),
      thresholdRule: trace.rule,
      thresholdScope: trace.scope,
      thresholdQuantile: trace.rule.rule === 'fit-quantile' ? trace.rule.quantile : undefined,
      persistence: spec.persistence,
      pools: {
        headline: "test rows (after each group's fit and calibration rows) of the test groups, pooled point-wise",
        ...(allRows
          ? {
              allRows:
                "every row of the test groups, fitted and calibration rows included, as SKAB's notebooks pool them (the leaderboard's figures)",
            }
          : {}),
      },
      groupsUsed: {
        test: [...testGroups].sort((a, b) => a - b).map(name),
        validation: [...validation].map(name),
      },
      comparison: { model: pick(head), ...Object.fromEntries(Object.entries(baselines).map(([k, b]) => [k, pick(b)])) },
      verdicts: comparison(head, baselines),
      confusion: {
        labels: [0, 1],
        matrix: [
          [head.tn, head.fp],
          [head.fn, head.tp],
        ],
      },
      ...(allRows
        ? {
            allRows: pick(allRows),
            allRowsConfusion: { tp: allRows.tp, fp: allRows.fp, fn: allRows.fn, tn: allRows.tn },
          }
        : {}),
      ...(val ? { validation: pick(val) } : {}),
      ...(valAll ? { validationAllRows: pick(valAll) } : {}),
      ...(changepoints ? { changepoints: changepoints.detail } : {}),
      byGroupFolder: byFolder,
      byGroup,
      unscoredRows: test.length - finite(test).length,
    },
  };
}

/**
 * SKAB's changepoint board (src/ml/anomaly/nab/skab-changepoint-score.ts) over
 * every row of each test group, as SKAB's notebooks score whole files: the
 * alarms' onsets and ends against a window after each labelled changepoint.
 */
function changepointFigures(
  cp: NonNullable<AnomalySpec['changepoints']>,
  ds: Dataset,
  trace: AlarmTrace,
  groups: Set<number>,
) {
  const labels = ds.columns?.[cp.column];
  if (!labels || !ds.time)
    throw inputError(
      `evaluation.changepoints needs the ${JSON.stringify(cp.column)} column kept (tabular keep: [${cp.column}]) and a source timeColumn`,
    );
  const files: ChangepointFile[] = [...groups].map((g) => {
    const rows = trace.rows.filter((r) => r.group === g).sort((a, b) => a.position - b.position);
    return {
      time: rows.map((r) => ds.time![r.row]!),
      changepoints: rows.map((r) => labels[r.row]!),
      alarms: rows.map((r) => r.alarm),
    };
  });
  const width = cp.windowSeconds * 1000;
  const scores: Record<string, number> = {};
  const detail: Record<string, unknown> = { windowSeconds: cp.windowSeconds, pool: 'every row of the test groups' };
  for (const [name, profile] of Object.entries(nabProfiles)) {
    const s = skabChangepointScore(files, width, profile);
    const key = name === 'standard' ? 'standard' : name === 'reward_low_FP_rate' ? 'low_fp' : 'low_fn';
    scores[key] = s.score;
    detail[key] = s;
  }
  return { scores, detail };
}

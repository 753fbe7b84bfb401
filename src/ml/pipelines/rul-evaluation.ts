import { lastRowOfEachGroup, nasaScore } from '../features/remaining-useful-life.js';
import { meanAbsoluteError, rootMeanSquaredError } from '../metrics/regression-metrics.js';
import { rowPositions } from './features/dataset-ops.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

/**
 * Remaining-useful-life evaluation, the C-MAPSS protocol: one prediction per
 * test unit, at its last row, scored against the truth (the uncapped remaining
 * life: for C-MAPSS the truth file) by RMSE and the NASA score. Beside it:
 * - the same against the truth capped like the training target (many
 *   re-implementations report this; it forgives the units with more than
 *   `cap` cycles left, which a capped model cannot reach);
 * - RMSE over every test row against the capped target (what the model fits);
 * - two trivial baselines fitted on each fold's fit rows: a constant (the mean
 *   training target) and age only (the mean training target at the same age,
 *   i.e. source rows since the unit started; nearest age seen when unseen).
 */
export interface RulUnit {
  group: string;
  age: number;
  truth: number;
  predicted: number;
}

export function rulMetrics(
  ds: Dataset,
  plan: SplitPlan,
  trained: TrainedModel,
): {
  primary: { name: string; value: number; higherIsBetter: boolean };
  metrics: Record<string, number>;
  detail: Record<string, unknown>;
} {
  const { rows, scores } = trained.test;
  const target = ds.target!;
  const truth = ds.truth ?? target;
  // Age = the row's position among its unit's source rows (a window's newest row), i.e. cycles since the start.
  const age = rowPositions(ds);
  const last = lastRowOfEachGroup(rows, ds.groups.index, age);
  const at = (values: ArrayLike<number>) =>
    Float64Array.from(last, (u) => values[rows[u.position] as number] as number);
  const predicted = Float64Array.from(last, (u) => scores[u.position] as number);
  const truthLast = at(truth);
  const cappedLast = at(target);
  const metrics: Record<string, number> = {
    units: last.length,
    rmse: rootMeanSquaredError(truthLast, predicted),
    nasa_score: nasaScore(predicted, truthLast),
    mae: meanAbsoluteError(truthLast, predicted),
  };
  if (ds.truth) {
    metrics.rmse_capped_truth = rootMeanSquaredError(cappedLast, predicted);
    metrics.nasa_score_capped_truth = nasaScore(predicted, cappedLast);
  }
  metrics.rmse_all_rows = rootMeanSquaredError(
    Float64Array.from(rows, (r) => target[r] as number),
    scores,
  );
  if (plan.folds.length > 0) {
    const baselines = rulBaselines(ds, plan, age);
    for (const [name, values] of Object.entries(baselines)) {
      const p = Float64Array.from(last, (u) => values[u.position] as number);
      metrics[`${name}_rmse`] = rootMeanSquaredError(truthLast, p);
      metrics[`${name}_nasa_score`] = nasaScore(p, truthLast);
    }
  }
  const units: RulUnit[] = last.map((u, i) => ({
    group: ds.groups.names[u.group] ?? String(u.group),
    age: age[rows[u.position] as number] as number,
    truth: truthLast[i] as number,
    predicted: predicted[i] as number,
  }));
  return {
    primary: { name: 'rmse', value: metrics.rmse!, higherIsBetter: false },
    metrics,
    detail: {
      protocol:
        'one prediction per test unit at its last row, against the uncapped truth; NASA score Σ e^(−d/13)−1 (d<0), e^(d/10)−1 (d≥0), d = predicted − true',
      baselines:
        'constant: mean training target; age_only: mean training target at the same age (rows since the unit started)',
      units,
    },
  };
}

/** Baseline predictions for trained.test.rows (folds concatenated in order), each fitted on its fold's fit rows. */
function rulBaselines(ds: Dataset, plan: SplitPlan, age: Int32Array): Record<string, Float64Array> {
  const target = ds.target!;
  const total = plan.folds.reduce((s, f) => s + f.test.length, 0);
  const constant = new Float64Array(total);
  const ageOnly = new Float64Array(total);
  let at = 0;
  for (const fold of plan.folds) {
    let sum = 0;
    const byAge = new Map<number, { sum: number; n: number }>();
    for (const r of fold.fit) {
      const y = target[r] as number;
      sum += y;
      const a = age[r] as number;
      const cell = byAge.get(a) ?? { sum: 0, n: 0 };
      cell.sum += y;
      cell.n++;
      byAge.set(a, cell);
    }
    const mean = sum / fold.fit.length;
    const ages = Float64Array.from(byAge.keys()).sort();
    const meanAt = (a: number) => {
      const cell = byAge.get(a) ?? byAge.get(nearest(ages, a))!;
      return cell.sum / cell.n;
    };
    for (const r of fold.test) {
      constant[at] = mean;
      ageOnly[at] = meanAt(age[r] as number);
      at++;
    }
  }
  return { constant, age_only: ageOnly };
}

function nearest(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  const above = sorted[lo] as number;
  const below = lo > 0 ? (sorted[lo - 1] as number) : above;
  return x - below <= above - x ? below : above;
}

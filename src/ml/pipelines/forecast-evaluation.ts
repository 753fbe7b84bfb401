import { oneStepNaive, oneStepSeasonalNaive } from '../forecast/baselines.js';
import { fitStatistical, statisticalMethods, type StatisticalMethod } from '../forecast/statistical-forecaster.js';
import { meanAbsoluteError, meanAbsolutePercentageError } from '../metrics/regression-metrics.js';
import type { Dataset, TrainedModel } from './types.js';

/**
 * Forecast evaluation: rolling one-step-ahead predictions over the test period
 * (the last rows), MAE and MAPE of the model beside every baseline on the same
 * points — naive, seasonal naive and the statistical forecasters (training
 * mean, moving average, AR(p), simple / Holt / Holt-Winters exponential
 * smoothing), each fitted on the training period only. The primary metric is
 * the model's MAE over the best baseline's (< 1: the model adds value). A
 * statistical model is not compared with its own method.
 *
 * The champion rule (docs/models.md): a neural forecaster is kept only where
 * this ratio is ≤ 0.9 (≥ 10 % better than every baseline); otherwise the
 * statistical model is the champion.
 */
export const neuralChampionRatio = 0.9;

const baselineName = (method: StatisticalMethod) => method.replace(/-/g, '_');

export function forecastMetrics(
  season: number,
  ds: Dataset,
  trained: TrainedModel,
): {
  primary: { name: string; value: number; higherIsBetter: boolean };
  metrics: Record<string, number>;
  detail: Record<string, unknown>;
} {
  const { rows, scores } = trained.test;
  const j = Math.max(0, ds.featureNames.indexOf(trained.featureNames[0] ?? ''));
  const series = ds.data.subarray(j * ds.rows, (j + 1) * ds.rows);
  const from = rows[0] as number;
  const actual = Float64Array.from(rows, (r) => series[r] as number);
  const own =
    trained.kind === 'statistical-forecaster'
      ? baselineName((trained.model as { method: StatisticalMethod }).method)
      : undefined;

  const { predictions, params: baselineParams, skipped } = forecastBaselines(series, from, season);
  const model = { mae: meanAbsoluteError(actual, scores), mape: meanAbsolutePercentageError(actual, scores).value };
  const metrics: Record<string, number> = { mae: model.mae, mape: model.mape };
  let best: string | undefined;
  for (const [name, p] of Object.entries(predictions)) {
    const mae = meanAbsoluteError(actual, p);
    metrics[`${name}_mae`] = mae;
    metrics[`${name}_mape`] = meanAbsolutePercentageError(actual, p).value;
    if (name !== own && (best === undefined || mae < metrics[`${best}_mae`]!)) best = name;
  }
  const bestMae = metrics[`${best}_mae`]!;
  const ratio = model.mae / bestMae;
  metrics.best_baseline_mae = bestMae;
  metrics.mae_ratio_to_best_baseline = ratio;
  return {
    primary: { name: 'mae_ratio_to_best_baseline', value: ratio, higherIsBetter: false },
    metrics,
    detail: {
      season,
      column: trained.featureNames[0],
      protocol: 'rolling one-step-ahead predictions over the test period from the true past',
      bestBaseline: best,
      ...(own ? { comparedWithout: own } : {}),
      baselineParams,
      ...(Object.keys(skipped).length ? { skipped } : {}),
      championRule: `a neural forecaster is kept as champion only where mae_ratio_to_best_baseline ≤ ${neuralChampionRatio}`,
    },
  };
}

/**
 * Every baseline's rolling one-step predictions over [from, n), each fitted on
 * series[0, from) only: naive, seasonal naive and the statistical forecasters
 * (Holt-Winters only with a season ≥ 2). A method that cannot be fitted (too
 * short a training part) is skipped with the reason. The report draws the best
 * of them from here too.
 */
export function forecastBaselines(
  series: Float64Array,
  from: number,
  season: number,
): { predictions: Record<string, Float64Array>; params: Record<string, unknown>; skipped: Record<string, string> } {
  const train = series.subarray(0, from);
  const predictions: Record<string, Float64Array> = {
    naive: oneStepNaive(series, from),
    seasonal_naive: oneStepSeasonalNaive(series, season, from),
  };
  const params: Record<string, unknown> = {};
  const skipped: Record<string, string> = {};
  for (const method of statisticalMethods) {
    if (method === 'holt-winters' && season < 2) {
      skipped.holt_winters = 'no season (season < 2)';
      continue;
    }
    try {
      const fitted = fitStatistical(method, train, { season });
      predictions[baselineName(method)] = fitted.oneStep(series, from);
      params[baselineName(method)] = summarise(fitted.params);
    } catch (error) {
      skipped[baselineName(method)] = (error as Error).message;
    }
  }
  return { predictions, params, skipped };
}

/** Chosen orders and smoothing weights; AR coefficients are left to model.json. */
function summarise(params: Record<string, unknown>): Record<string, unknown> {
  const { coefficients: _coefficients, ...rest } = params;
  return rest;
}

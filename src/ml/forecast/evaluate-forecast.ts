import { inputError } from '../../errors.js';
import { oneStepNaive, oneStepSeasonalNaive } from './baselines.js';
import { forecastMae, forecastMape } from './forecast-metrics.js';
import { disposeForecaster, fitForecaster, predictOneStepAhead, type ForecasterConfig } from './mlp-forecaster.js';

/**
 * Time-based evaluation: the first (1 − testFraction) of the series trains the
 * forecaster (its own validation tail for early stopping comes from inside that
 * part), the rest is the test period. Every method makes rolling one-step-ahead
 * predictions over the test period from the true past, and the report gives MAE
 * and MAPE for the model, naive and seasonal naive, plus the MAE ratio to the
 * better baseline (< 1 means the model adds value).
 */
export interface ErrorSummary {
  mae: number;
  mape: number;
  mapeSkippedZeros: number;
}

export interface ForecastEvaluation {
  trainSize: number;
  testSize: number;
  season: number;
  model: ErrorSummary;
  naive: ErrorSummary;
  seasonalNaive: ErrorSummary;
  /** model MAE / min(naive MAE, seasonal-naive MAE). */
  maeRatioToBestBaseline: number;
  bestEpoch: number;
  epochsRun: number;
}

function summary(actual: Float64Array, predicted: Float64Array): ErrorSummary {
  const { mape, skippedZeros } = forecastMape(actual, predicted);
  return { mae: forecastMae(actual, predicted), mape, mapeSkippedZeros: skippedZeros };
}

export async function evaluateForecaster(
  series: ArrayLike<number>,
  options: { season: number; testFraction?: number; config?: Partial<ForecasterConfig> },
): Promise<ForecastEvaluation> {
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw inputError(`testFraction must be in (0, 1), got ${testFraction}`);
  const n = series.length;
  const trainSize = Math.floor(n * (1 - testFraction));
  const all = Float64Array.from(series);
  const forecaster = await fitForecaster(all.subarray(0, trainSize), options.config);
  try {
    if (trainSize < Math.max(options.season, forecaster.config.lags))
      throw inputError('training part is shorter than one season or the lag window');
    const actual = all.slice(trainSize);
    const predicted = await predictOneStepAhead(forecaster, all, trainSize);
    const model = summary(actual, predicted);
    const naive = summary(actual, oneStepNaive(all, trainSize));
    const seasonalNaive = summary(actual, oneStepSeasonalNaive(all, options.season, trainSize));
    return {
      trainSize,
      testSize: n - trainSize,
      season: options.season,
      model,
      naive,
      seasonalNaive,
      maeRatioToBestBaseline: model.mae / Math.min(naive.mae, seasonalNaive.mae),
      bestEpoch: forecaster.history.bestEpoch,
      epochsRun: forecaster.history.trainLoss.length,
    };
  } finally {
    disposeForecaster(forecaster);
  }
}

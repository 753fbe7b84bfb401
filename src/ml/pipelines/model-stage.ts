import { inputError } from '../../errors.js';
import type { Stage } from '../../pipeline/stage.js';
import type { ModelSpec } from '../../pipeline/schema.js';
import { oneStepNaive, oneStepSeasonalNaive } from '../forecast/baselines.js';
import { disposeForecaster, fitForecaster, predictOneStepAhead } from '../forecast/mlp-forecaster.js';
import { saveForecaster } from '../forecast/forecaster-weights.js';
import { fitBestStatistical, fitStatistical } from '../forecast/statistical-forecaster.js';
import { IsolationForest } from '../tree/isolation-forest.js';
import { fitDetectors } from './detectors/detector-stage.js';
import type { Matrix } from '../tree/matrix.js';
import { RandomForestClassifier } from '../tree/random-forest-classifier.js';
import { RandomForestRegressor } from '../tree/random-forest-regressor.js';
import { datasetMatrix } from './dataset-matrix.js';
import { fitGroupNovelty } from './group-novelty-model.js';
import { fitHealthAlarms } from './health-alarm-model.js';
import { fitStreamNovelty } from './stream-model.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

/** The model spec plus what the evaluation fixes for it (the forecast's season, NAB's probation share). */
export type ModelParams = ModelSpec & { season?: number | undefined; probationShare?: number | undefined };

export { datasetMatrix };

const labelsOf = (ds: Dataset, rows: Int32Array) => Float64Array.from(rows, (r) => ds.target![r] as number);

/** P(positive) for a binary problem (positive = the larger label, 1 for 0/1), else the top class's probability. */
export function positiveScores(
  proba: Float64Array,
  classes: number[],
): { scores: Float64Array; predicted: Float64Array } {
  const k = classes.length;
  const n = proba.length / k;
  const scores = new Float64Array(n);
  const predicted = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if ((proba[r * k + j] as number) > (proba[r * k + best] as number)) best = j;
    scores[r] = k === 2 ? (proba[r * k + 1] as number) : (proba[r * k + best] as number);
    predicted[r] = classes[best] as number;
  }
  return { scores, predicted };
}

/** Isolation scores flipped so that higher means more abnormal (the usual convention for ROC-AUC). */
export const anomalyScores = (forest: IsolationForest, x: Matrix) => forest.scoreSamples(x).map((s) => -s);

/**
 * Cache-key version of the model stage per model kind, so a change to one
 * learner re-keys (and re-registers) only that kind's models and leaves the
 * committed versions of the others reusable. Bump a kind's entry whenever its
 * training code changes what it produces.
 * mlp-forecaster 2: batch order drawn from the shared sfc32 Random (src/random.ts).
 */
export const modelKindVersions: Record<ModelSpec['kind'], string> = {
  'random-forest-classifier': '1',
  'random-forest-regressor': '1',
  'isolation-forest': '1',
  'pca-monitor': '1',
  autoencoder: '1',
  'mlp-forecaster': '2',
  'statistical-forecaster': '1',
  'stream-novelty': '1',
  'group-novelty': '1',
  'health-alarm': '1',
};

/**
 * Fits the model on each fold's fit rows and predicts its test rows; the
 * registered model is the holdout fold's model, or (cross-validation) one
 * fitted on all rows. Forecasters fit on the series before the test period and
 * make rolling one-step-ahead predictions over it, beside the naive and
 * seasonal-naive baselines on the same points.
 */
export const modelStage: Stage<ModelParams, readonly [Dataset, SplitPlan], TrainedModel> = {
  kind: 'model',
  version: '1', // the pipeline graph keys model nodes by modelKindVersions instead
  async run(params, [ds, plan], context) {
    const started = performance.now();
    const testRows = Int32Array.from(plan.folds.flatMap((f) => [...f.test]));
    const base = { featureNames: ds.featureNames, encoding: ds.encoding, fitRows: plan.finalFit.length };
    switch (params.kind) {
      case 'random-forest-classifier': {
        if (!ds.target) throw inputError('a classifier needs a target');
        const fitOne = (rows: Int32Array) =>
          new RandomForestClassifier({ ...params.params, maxFeatures: params.params.maxFeatures ?? 'sqrt' }).train(
            datasetMatrix(ds, rows),
            labelsOf(ds, rows),
          );
        let final: RandomForestClassifier | undefined;
        const scores: number[] = [];
        const predicted: number[] = [];
        let classes: number[] = [];
        for (const fold of plan.folds) {
          context.signal?.throwIfAborted();
          const model = fitOne(fold.fit);
          if (plan.mode !== 'cv') final = model;
          classes = model.classes;
          const p = positiveScores(model.predictProba(datasetMatrix(ds, fold.test)), model.classes);
          scores.push(...p.scores);
          predicted.push(...p.predicted);
        }
        final ??= fitOne(plan.finalFit);
        return {
          ...base,
          kind: params.kind,
          model: final.toJSON(),
          params: { ...params.params },
          fitSeconds: secondsSince(started),
          test: {
            rows: testRows,
            scores: Float64Array.from(scores),
            predicted: Float64Array.from(predicted),
            baselines: null,
          },
          fitScores: null,
          classes: final.classes.length ? final.classes : classes,
        };
      }
      case 'random-forest-regressor': {
        if (!ds.target) throw inputError('a regressor needs a target');
        const fitOne = (rows: Int32Array) =>
          new RandomForestRegressor({ ...params.params }).train(datasetMatrix(ds, rows), labelsOf(ds, rows));
        let final: RandomForestRegressor | undefined;
        const scores: number[] = [];
        for (const fold of plan.folds) {
          const model = fitOne(fold.fit);
          if (plan.mode !== 'cv') final = model;
          scores.push(...model.predict(datasetMatrix(ds, fold.test)));
        }
        final ??= fitOne(plan.finalFit);
        return {
          ...base,
          kind: params.kind,
          model: final.toJSON(),
          params: { ...params.params },
          fitSeconds: secondsSince(started),
          test: { rows: testRows, scores: Float64Array.from(scores), predicted: null, baselines: null },
          fitScores: null,
          classes: null,
        };
      }
      case 'isolation-forest':
      case 'pca-monitor':
      case 'autoencoder':
        return { ...(await fitDetectors(params, ds, plan, context)), fitSeconds: secondsSince(started) };
      case 'mlp-forecaster':
        return fitForecast(params, ds, plan, base, started);
      case 'statistical-forecaster':
        return fitStatisticalForecast(params, ds, plan, base, started);
      case 'group-novelty':
        return fitGroupNovelty(params, ds, plan, started);
      case 'health-alarm':
        return fitHealthAlarms(params, ds, plan, started);
      case 'stream-novelty':
        return fitStreamNovelty(params, ds, plan, params.probationShare ?? 0.15, started);
    }
  },
};

/** The forecast column and where the test period starts (the last rows, in time order). */
export function forecastSeries(ds: Dataset, plan: SplitPlan, column: string): { series: Float64Array; from: number } {
  const j = ds.featureNames.indexOf(column);
  if (j < 0)
    throw inputError(`model.column ${JSON.stringify(column)} is not a feature; have ${ds.featureNames.join(', ')}`);
  const series = Float64Array.from(ds.data.subarray(j * ds.rows, (j + 1) * ds.rows));
  const fold = plan.folds[0]!;
  const from = fold.test[0] as number;
  if (fold.test.some((r, i) => r !== from + i) || from + fold.test.length !== ds.rows) {
    throw inputError('the forecaster needs the test period to be the last rows of the series, in time order');
  }
  return { series, from };
}

async function fitForecast(
  params: Extract<ModelParams, { kind: 'mlp-forecaster' }>,
  ds: Dataset,
  plan: SplitPlan,
  base: Pick<TrainedModel, 'featureNames' | 'encoding' | 'fitRows'>,
  started: number,
): Promise<TrainedModel> {
  const { series, from } = forecastSeries(ds, plan, params.column);
  const fold = plan.folds[0]!;
  const forecaster = await fitForecaster(series.subarray(0, from), { ...params.params, horizon: 1 });
  try {
    const scores = await predictOneStepAhead(forecaster, series, from);
    const season = params.season ?? 1;
    return {
      ...base,
      featureNames: [params.column],
      kind: params.kind,
      model: saveForecaster(forecaster),
      params: { column: params.column, ...params.params, horizon: 1 },
      fitRows: from,
      fitSeconds: secondsSince(started),
      test: {
        rows: fold.test,
        scores,
        predicted: null,
        baselines: { naive: oneStepNaive(series, from), seasonalNaive: oneStepSeasonalNaive(series, season, from) },
      },
      fitScores: null,
      classes: null,
    };
  } finally {
    disposeForecaster(forecaster);
  }
}

/**
 * A statistical forecaster (src/ml/forecast/statistical-forecaster.ts) fitted
 * on the series before the test period; `auto` picks the method on the last
 * part of that training period. Baselines are the evaluation's business.
 */
function fitStatisticalForecast(
  params: Extract<ModelParams, { kind: 'statistical-forecaster' }>,
  ds: Dataset,
  plan: SplitPlan,
  base: Pick<TrainedModel, 'featureNames' | 'encoding' | 'fitRows'>,
  started: number,
): TrainedModel {
  const { series, from } = forecastSeries(ds, plan, params.column);
  const train = series.subarray(0, from);
  const options = {
    season: params.season ?? 1,
    validationFraction: params.params.validationFraction,
    ...(params.params.arOrders ? { arOrders: params.params.arOrders } : {}),
    ...(params.params.windows ? { windows: params.params.windows } : {}),
  };
  const chosen =
    params.params.method === 'auto'
      ? fitBestStatistical(train, options)
      : { fitted: fitStatistical(params.params.method, train, options), validationMae: null };
  const { fitted } = chosen;
  return {
    ...base,
    featureNames: [params.column],
    kind: params.kind,
    model: {
      kind: 'smx.statistical-forecaster',
      version: 1,
      method: fitted.method,
      params: fitted.params,
      validationMae: chosen.validationMae,
    },
    params: { column: params.column, ...params.params, season: options.season, chosen: fitted.method, horizon: 1 },
    fitRows: from,
    fitSeconds: secondsSince(started),
    test: { rows: plan.folds[0]!.test, scores: fitted.oneStep(series, from), predicted: null, baselines: null },
    fitScores: null,
    classes: null,
  };
}

const secondsSince = (t: number) => (performance.now() - t) / 1000;

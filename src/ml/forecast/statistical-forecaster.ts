import { inputError } from '../../errors.js';
import { autoregressiveOneStep, fitAutoregressive, type ArModel } from './autoregressive.js';
import { firstPredicted, fitSmoothing, smoothingOneStep, type SmoothingParams } from './exponential-smoothing.js';

/**
 * The statistical forecasters, as models and as the baselines every forecast
 * evaluation prints:
 * - mean: the training mean, a constant;
 * - moving-average: the mean of the last k values (k = 1 is the naive
 *   forecast), k chosen on a validation part;
 * - ar: AR(p) by least squares (autoregressive.ts), p chosen on a validation
 *   part;
 * - ses, holt, holt-winters (additive, season m): exponential smoothing with
 *   parameters fitted on the training part (exponential-smoothing.ts).
 * The validation part is the last `validationFraction` of the training part:
 * each candidate is fitted on what precedes it and scored by its one-step MAE
 * there; the winner is refitted on the whole training part. Nothing after the
 * training part is looked at.
 */
export const statisticalMethods = ['mean', 'moving-average', 'ar', 'ses', 'holt', 'holt-winters'] as const;
export type StatisticalMethod = (typeof statisticalMethods)[number];

export interface StatisticalOptions {
  /** Season length for Holt-Winters. */
  season: number;
  validationFraction?: number;
  /** AR orders tried. */
  arOrders?: readonly number[];
  /** Moving-average windows tried. */
  windows?: readonly number[];
}

export const defaultArOrders = [1, 2, 3, 5, 10, 15, 20, 30, 45, 60] as const;
export const defaultWindows = [1, 2, 3, 5, 10, 20, 30, 60, 120] as const;

export interface FittedStatistical {
  method: StatisticalMethod;
  /** What was fitted or chosen (k, p and coefficients, α β γ), for params.json and the model card. */
  params: Record<string, unknown>;
  /** Index of the first value it can predict. */
  start: number;
  /** Rolling one-step predictions ŷ[t], t in [from, n), from the true past with the fit fixed. */
  oneStep(series: ArrayLike<number>, from: number): Float64Array;
}

export function fitStatistical(
  method: StatisticalMethod,
  train: ArrayLike<number>,
  options: StatisticalOptions,
): FittedStatistical {
  switch (method) {
    case 'mean': {
      let s = 0;
      for (let i = 0; i < train.length; i++) s += train[i] as number;
      const mean = s / train.length;
      return {
        method,
        params: { mean },
        start: 0,
        oneStep: (series, from) => new Float64Array(Math.max(0, series.length - from)).fill(mean),
      };
    }
    case 'moving-average': {
      const k = chooseOnValidation(train, options, options.windows ?? defaultWindows, (w) => movingAverage(w));
      return movingAverage(k);
    }
    case 'ar': {
      const p = chooseOnValidation(train, options, options.arOrders ?? defaultArOrders, (q, part) =>
        autoregressive(fitAutoregressive(part, q)),
      );
      return autoregressive(fitAutoregressive(train, p));
    }
    case 'ses':
    case 'holt':
    case 'holt-winters': {
      const params = fitSmoothing(method, train, options.season);
      return smoothing(method, params);
    }
  }
}

function movingAverage(k: number): FittedStatistical {
  return {
    method: 'moving-average',
    params: { window: k },
    start: k,
    oneStep(series, from) {
      if (from < k) throw inputError(`a moving average of ${k} predicts from index ${k} on, not ${from}`);
      const out = new Float64Array(Math.max(0, series.length - from));
      for (let t = from; t < series.length; t++) {
        let s = 0;
        for (let i = t - k; i < t; i++) s += series[i] as number;
        out[t - from] = s / k;
      }
      return out;
    },
  };
}

function autoregressive(model: ArModel): FittedStatistical {
  return {
    method: 'ar',
    params: { p: model.p, intercept: model.intercept, coefficients: model.coefficients },
    start: model.p,
    oneStep: (series, from) => autoregressiveOneStep(model, series, from),
  };
}

function smoothing(method: 'ses' | 'holt' | 'holt-winters', params: SmoothingParams): FittedStatistical {
  return {
    method,
    params: { ...params },
    start: firstPredicted(method, params.season),
    oneStep: (series, from) => smoothingOneStep(method, params, series, from),
  };
}

/**
 * The candidate whose fit on the first part of `train` has the least one-step
 * MAE on its last `validationFraction`; ties go to the earlier (simpler) one.
 * Candidates that cannot be fitted on the shorter part are skipped.
 */
function chooseOnValidation(
  train: ArrayLike<number>,
  options: StatisticalOptions,
  candidates: readonly number[],
  fit: (candidate: number, part: ArrayLike<number>) => FittedStatistical,
): number {
  const { fitPart, from } = validationSplit(train, options.validationFraction);
  let best: number | undefined;
  let bestMae = Infinity;
  for (const c of candidates) {
    if (c >= from) continue;
    let model: FittedStatistical;
    try {
      model = fit(c, fitPart);
    } catch {
      continue;
    }
    const mae = oneStepMae(model, train, from);
    if (mae < bestMae) {
      bestMae = mae;
      best = c;
    }
  }
  if (best === undefined)
    throw inputError(`no candidate (${candidates.join(', ')}) fits a training part of ${train.length} values`);
  return best;
}

export function validationSplit(
  train: ArrayLike<number>,
  validationFraction = 0.2,
): { fitPart: ArrayLike<number>; from: number } {
  if (!(validationFraction > 0 && validationFraction < 1))
    throw inputError(`validationFraction must be in (0, 1), got ${validationFraction}`);
  const from = Math.floor(train.length * (1 - validationFraction));
  const all = Float64Array.from(train);
  return { fitPart: all.subarray(0, from), from };
}

export function oneStepMae(model: FittedStatistical, series: ArrayLike<number>, from: number): number {
  const p = model.oneStep(series, from);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs((series[from + i] as number) - (p[i] as number));
  return s / p.length;
}

/**
 * `auto`: every method fitted on the first part of the training part and
 * scored on its validation part (one-step MAE); the best is refitted on the
 * whole training part. Returns the fit and the validation MAE of each method.
 */
export function fitBestStatistical(
  train: ArrayLike<number>,
  options: StatisticalOptions,
  methods: readonly StatisticalMethod[] = statisticalMethods,
): { fitted: FittedStatistical; validationMae: Record<string, number> } {
  const { fitPart, from } = validationSplit(train, options.validationFraction);
  const validationMae: Record<string, number> = {};
  let best: StatisticalMethod | undefined;
  for (const method of methods) {
    const model = fitStatistical(method, fitPart, options);
    if (model.start > from) continue;
    validationMae[method] = oneStepMae(model, train, from);
    if (best === undefined || validationMae[method] < validationMae[best]!) best = method;
  }
  if (best === undefined) throw inputError('no statistical method fits the training part');
  return { fitted: fitStatistical(best, train, options), validationMae };
}

import { inputError } from '../../errors.js';
import type { ThresholdSpec } from '../../pipeline/schema.js';
import { quantileOf } from './quantile.js';

/**
 * The alarm threshold of one model from the scores the rule allows it to read:
 * - calibrated: the (1 − targetFar) quantile of scores of calibration rows,
 *   normal rows the model was not fitted on, so the false-alarm rate on unseen
 *   normal data is estimated rather than assumed (fitted rows score lower);
 * - fit-quantile: a quantile of the fitted rows' scores (SKAB's notebooks:
 *   Conv-AE takes 4/3 × the 0.999 quantile of its training residuals);
 * - model-limit: the model's own control limit (PCA: 1 on max(T²/T²lim, Q/Qlim)).
 * `margin` multiplies the result, so it needs scores that are not negative.
 */
export interface ThresholdSources {
  fit: ArrayLike<number>;
  calibration: ArrayLike<number> | null;
  limit: number | null;
}

export function alarmThreshold(rule: ThresholdSpec, sources: ThresholdSources): number {
  let base: number;
  switch (rule.rule) {
    case 'calibrated':
      if (!sources.calibration || sources.calibration.length === 0)
        throw inputError('a calibrated threshold needs calibration rows, and this model scored none');
      base = quantileOf(sources.calibration, 1 - rule.targetFar);
      break;
    case 'fit-quantile':
      base = quantileOf(sources.fit, rule.quantile);
      break;
    case 'model-limit':
      if (sources.limit === null) throw inputError('this model has no control limit of its own');
      base = sources.limit;
      break;
  }
  if (rule.margin !== 1 && base < 0)
    throw inputError(`threshold margin ${rule.margin} on a negative score threshold (${base}) would lower it`, {
      hint: 'Use margin 1 with scores that can be negative (isolation forest), or a calibrated targetFar instead.',
    });
  return base * rule.margin;
}

import { inputError } from '../../errors.js';
import type { Stage } from '../../pipeline/stage.js';
import type { SplitSpec } from '../../pipeline/schema.js';
import { groupKFold, groupTrainTestSplit } from '../split/group-split.js';
import { stratifiedTrainTestSplit } from '../split/stratified-split.js';
import { timeTrainTestSplit } from '../split/time-split.js';
import { rowPositions } from './features/dataset-ops.js';
import { perGroupNoveltySplit } from './per-group-novelty-split.js';
import { globMatcher, perGroupPlan } from './per-group-plan.js';
import { namedGroupsSplit } from './named-groups-split.js';
import type { Dataset, SplitPlan } from './types.js';

/**
 * Chooses fit and test rows (src/ml/split does the arithmetic):
 * - stratified: seeded, class shares kept (AI4I);
 * - group: whole groups (experiment files) go to test, so no test row has a
 *   sibling from the same run in training;
 * - group-kfold: every group is tested once by a model that never saw it;
 *   metrics are out-of-fold and the registered model is fitted on all rows;
 * - time: the latest rows are the test set (forecasting);
 * - novelty: a detector fits on the normal rows of `fitGroups` and scores every
 *   other group, plus the latest `holdout` share of the fit groups, so the test
 *   set has normal rows from the fit distribution too;
 * - groups: the groups a benchmark names are the test set (C-MAPSS test
 *   units); `use: validation` scores folds of the other groups instead;
 * - validation: label-tuned choices (settings, thresholds) are made on the
 *   rows of `validationGroups`; every other group is the test;
 * - per-group-novelty: MIMII's protocol per group and seed (per-group-novelty-split.ts);
 * - none: fit on everything, score everything (unlabelled monitoring data).
 */
export const splitStage: Stage<SplitSpec, readonly [Dataset], SplitPlan> = {
  kind: 'split',
  version: '1', // new kinds and options change no existing plan
  async run(params, [ds]) {
    const all = Int32Array.from({ length: ds.rows }, (_, i) => i);
    switch (params.kind) {
      case 'stratified': {
        if (!ds.target) throw inputError('a stratified split needs a target');
        const s = stratifiedTrainTestSplit(ds.target, { testSize: params.testSize, seed: params.seed });
        return {
          mode: 'holdout',
          folds: [{ fit: s.train, test: s.test }],
          finalFit: s.train,
          describe: `stratified ${Math.round((1 - params.testSize) * 100)}/${Math.round(params.testSize * 100)}, seed ${params.seed}`,
        };
      }
      case 'group': {
        const s = groupTrainTestSplit(ds.groups.index, { testSize: params.testSize, seed: params.seed });
        const names = s.testGroups.map((g) => ds.groups.names[g as number]);
        return {
          mode: 'holdout',
          folds: [{ fit: s.train, test: s.test }],
          finalFit: s.train,
          describe: `by group, ${names.length} of ${new Set(ds.groups.index).size} groups held out (seed ${params.seed}): ${names.join(', ')}`,
        };
      }
      case 'group-kfold': {
        const positions = rowPositions(ds);
        const scored = (r: number) => params.scoreFrom === undefined || (positions[r] as number) >= params.scoreFrom;
        const folds = groupKFold(ds.groups.index, params.k).map((f) => ({
          fit: f.train,
          test: f.test.filter(scored),
        }));
        return {
          mode: 'cv',
          folds,
          finalFit: all,
          ...(params.scoreFrom !== undefined ? { scoreFrom: params.scoreFrom } : {}),
          describe:
            `group ${params.k}-fold (each group tested by a model that never saw it)` +
            (params.scoreFrom !== undefined ? `, scored from row ${params.scoreFrom} of each group` : '') +
            '; registered model fitted on all rows',
        };
      }
      case 'time': {
        const s = timeTrainTestSplit(ds.time ?? all, { testSize: params.testSize });
        return {
          mode: 'holdout',
          folds: [{ fit: s.train, test: s.test }],
          finalFit: s.train,
          describe: `time-based: latest ${Math.round(params.testSize * 100)}% of rows are the test period`,
        };
      }
      case 'groups':
        return namedGroupsSplit(ds, params);
      case 'novelty':
        return withCalibration(ds, noveltySplit(ds, params.fitGroups, params.holdout, all), params);
      case 'per-group':
        return perGroupPlan(ds, params);
      case 'validation':
        return validationSplit(ds, params.validationGroups, all);
      case 'per-group-novelty':
        return perGroupNoveltySplit(ds, params, params.normalLabel);
      case 'none':
        return {
          mode: 'all',
          folds: [{ fit: all, test: all }],
          finalFit: all,
          describe: 'none: fitted and scored on all rows (unlabelled)',
        };
    }
  },
};

function noveltySplit(ds: Dataset, fitGroups: readonly string[], holdout: number, all: Int32Array): SplitPlan {
  const matches = globMatcher(fitGroups);
  const isFitGroup = ds.groups.names.map(matches);
  if (!isFitGroup.some(Boolean))
    throw inputError(
      `novelty split: no group matches ${fitGroups.join(', ')}; groups are ${ds.groups.names.join(', ')}`,
    );
  const candidates = [...all].filter(
    (r) => isFitGroup[ds.groups.index[r] as number] && !(ds.target && ds.target[r] === 1),
  );
  if (holdout > 0 && ds.time) candidates.sort((a, b) => (ds.time![a] as number) - (ds.time![b] as number) || a - b);
  // The latest share of each fit group is scored, not fitted: per group so a long group cannot swallow the holdout.
  const held = new Set<number>();
  if (holdout > 0) {
    const byGroup = new Map<number, number[]>();
    for (const r of candidates) {
      const g = ds.groups.index[r] as number;
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g)!.push(r);
    }
    for (const rows of byGroup.values())
      for (const r of rows.slice(rows.length - Math.ceil(rows.length * holdout))) held.add(r);
  }
  const fit = Int32Array.from(candidates.filter((r) => !held.has(r))).sort();
  const fitSet = new Set(fit);
  const test = Int32Array.from(
    [...all].filter((r) => !fitSet.has(r) && (held.has(r) || !isFitGroup[ds.groups.index[r] as number])),
  );
  if (fit.length === 0 || test.length === 0) throw inputError('novelty split leaves no fit rows or no test rows');
  const names = ds.groups.names.filter((_, g) => isFitGroup[g]);
  return {
    mode: 'holdout',
    folds: [{ fit, test }],
    finalFit: fit,
    describe: `novelty: fit on normal rows of ${names.join(', ')}${holdout > 0 ? ` (latest ${Math.round(holdout * 100)}% held out and scored)` : ''}; all other groups scored`,
  };
}

/**
 * Novelty split with calibration rows: in every scored group, rows at positions
 * [calibration.from, calibration.to) leave the test set and set the threshold
 * instead; rows before `scoreFrom` (or before calibration.to) are not scored.
 * Fit rows are untouched, so calibration rows are never fitted.
 */
function withCalibration(ds: Dataset, initial: SplitPlan, params: Extract<SplitSpec, { kind: 'novelty' }>): SplitPlan {
  let plan = initial;
  const isValidation = globMatcher(params.validationGroups ?? []);
  const validationGroups = ds.groups.names.flatMap((n, g) => (isValidation(n) ? [g] : []));
  if (params.validationGroups?.length && validationGroups.length === 0)
    throw inputError(`novelty split: no group matches validationGroups ${params.validationGroups.join(', ')}`);
  if (validationGroups.length) plan = { ...plan, validationGroups };
  if (!params.calibration && params.scoreFrom === undefined) return plan;
  const positions = rowPositions(ds);
  const from = Math.max(params.scoreFrom ?? 0, params.calibration?.to ?? 0);
  const fold = plan.folds[0]!;
  const isCalibration = (r: number) =>
    params.calibration !== undefined &&
    (positions[r] as number) >= params.calibration.from &&
    (positions[r] as number) < params.calibration.to;
  const calibration = fold.test.filter(isCalibration);
  const test = fold.test.filter((r) => (positions[r] as number) >= from);
  if (test.length === 0) throw inputError(`novelty split: no scored row at position ${from} or later`);
  return {
    ...plan,
    folds: [{ ...fold, test, ...(params.calibration ? { calibration } : {}) }],
    scoreFrom: from,
    describe:
      plan.describe +
      (params.calibration
        ? `; rows ${params.calibration.from}–${params.calibration.to - 1} of each scored group calibrate the alarm threshold`
        : '') +
      `; scored from row ${from} of each group`,
  };
}

function validationSplit(ds: Dataset, validationGroups: readonly string[], all: Int32Array): SplitPlan {
  const matches = globMatcher(validationGroups);
  const isValidation = ds.groups.names.map(matches);
  const fit = all.filter((r) => isValidation[ds.groups.index[r] as number]);
  const test = all.filter((r) => !isValidation[ds.groups.index[r] as number]);
  if (fit.length === 0 || test.length === 0)
    throw inputError(
      `validation split: ${fit.length === 0 ? 'no group matches' : 'every group matches'} ${validationGroups.join(', ')}; groups are ${ds.groups.names.join(', ')}`,
    );
  const names = (pick: boolean) => ds.groups.names.filter((_, g) => isValidation[g] === pick).join(', ');
  return {
    mode: 'holdout',
    folds: [{ fit, test }],
    finalFit: fit,
    describe: `validation: settings and thresholds tuned on ${names(true)}; test: ${names(false)}`,
  };
}

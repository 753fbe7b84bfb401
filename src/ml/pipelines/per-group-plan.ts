import { inputError } from '../../errors.js';
import type { SplitSpec } from '../../pipeline/schema.js';
import { perGroupSplit } from '../split/per-group-split.js';
import { rowPositions } from './features/dataset-ops.js';
import type { Dataset, SplitPlan } from './types.js';

type PerGroupSpec = Extract<SplitSpec, { kind: 'per-group' }>;

/** `*` and `?` globs on group names (`valve1/*.csv`). */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map(
    (p) =>
      new RegExp(
        '^' +
          p
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.') +
          '$',
      ),
  );
  return (name) => res.some((re) => re.test(name));
}

/**
 * SKAB's leaderboard protocol as a split plan (src/ml/split/per-group-split.ts):
 * one fold per group, each with its own fit, calibration and test rows. The
 * validation groups are folds like the others; the evaluation reports them
 * apart, so settings chosen on them never reach the headline figures.
 */
export function perGroupPlan(ds: Dataset, params: PerGroupSpec): SplitPlan {
  const folds = perGroupSplit(ds.groups.index, rowPositions(ds), params);
  const thin = folds.filter((f) => f.fit.length < 2);
  if (thin.length)
    throw inputError(
      `per-group split: ${thin.map((f) => ds.groups.names[f.group]).join(', ')} ha${thin.length > 1 ? 've' : 's'} fewer than 2 rows among the first ${params.fitRows}`,
      { hint: 'Lower split.fitRows, or leave out groups that are too short.' },
    );
  const isValidation = globMatcher(params.validationGroups);
  const validationGroups = folds.map((f) => f.group).filter((g) => isValidation(ds.groups.names[g] ?? ''));
  if (params.validationGroups.length && validationGroups.length === 0)
    throw inputError(
      `per-group split: no group matches validationGroups ${params.validationGroups.join(', ')}; groups are ${ds.groups.names.join(', ')}`,
    );
  const scoreFrom = params.fitRows + params.calibrationRows;
  const names = (gs: number[]) => gs.map((g) => ds.groups.names[g]).join(', ');
  return {
    mode: 'per-group',
    folds: folds.map((f) => ({ fit: f.fit, calibration: f.calibration, test: f.test, group: f.group })),
    finalFit: folds.at(-1)!.fit,
    validationGroups,
    scoreFrom,
    describe:
      `per group (SKAB protocol): each of ${folds.length} groups fits its own model on its first ${params.fitRows} rows` +
      (params.calibrationRows ? `, calibrates the alarm threshold on the next ${params.calibrationRows}` : '') +
      `, scores the rest (from row ${scoreFrom})` +
      (validationGroups.length ? `; validation groups (reported apart): ${names(validationGroups)}` : ''),
  };
}

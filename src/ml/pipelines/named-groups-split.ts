import { inputError } from '../../errors.js';
import { Random } from '../../random.js';
import type { SplitSpec } from '../../pipeline/schema.js';
import { groupKFold } from '../split/group-split.js';
import { globMatcher } from './per-group-plan.js';
import type { Dataset, Fold, SplitPlan } from './types.js';

type GroupsParams = Extract<SplitSpec, { kind: 'groups' }>;

/**
 * A benchmark's own split: the groups it names are the test set (C-MAPSS: the
 * units of test_FD001.txt), every other group is fitted on. Model choices are
 * made without the test groups: `use: validation` drops them and scores
 * `validation.folds` group folds of the fit groups instead, each fold by a
 * model that never saw its units. With `truncate`, every validation unit is cut
 * at a seeded random row and only its rows up to the cut are scored, so "the
 * last row of each unit" means what it does for a truncated test unit (in a
 * run-to-failure unit the last row is always failure).
 */
export function namedGroupsSplit(ds: Dataset, params: GroupsParams): SplitPlan {
  const isTest = ds.groups.names.map(globMatcher(params.test));
  const fit: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < ds.rows; r++) (isTest[ds.groups.index[r] as number] ? test : fit).push(r);
  const testNames = ds.groups.names.filter((_, g) => isTest[g]);
  if (test.length === 0)
    throw inputError(
      `groups split: no group matches ${params.test.join(', ')}; groups are ${preview(ds.groups.names)}`,
    );
  if (fit.length === 0) throw inputError(`groups split: every group matches ${params.test.join(', ')}; nothing to fit`);
  if (params.use === 'test') {
    return {
      mode: 'holdout',
      folds: [{ fit: Int32Array.from(fit), test: Int32Array.from(test) }],
      finalFit: Int32Array.from(fit),
      describe: `named groups: ${testNames.length} test groups (${params.test.join(', ')}), fitted on the other ${new Set(fit.map((r) => ds.groups.index[r])).size}`,
    };
  }
  const validation = params.validation;
  if (!validation) throw inputError('groups split: `use: validation` needs a `validation` block');
  const fitRows = Int32Array.from(fit);
  const folds: Fold[] = groupKFold(
    Int32Array.from(fitRows, (r) => ds.groups.index[r] as number),
    validation.folds,
  ).map((f) => ({
    fit: Int32Array.from(f.train, (i) => fitRows[i] as number),
    test: validation.truncate
      ? truncateGroups(
          ds,
          Int32Array.from(f.test, (i) => fitRows[i] as number),
          new Random(validation.seed),
        )
      : Int32Array.from(f.test, (i) => fitRows[i] as number),
  }));
  return {
    mode: 'validation',
    folds,
    finalFit: fitRows,
    describe: `validation on the fit groups only (test groups ${params.test.join(', ')} left out): group ${validation.folds}-fold${validation.truncate ? `, each validation unit cut at a random row (seed ${validation.seed})` : ''}`,
  };
}

/** Rows of each group up to a cut drawn uniformly among its rows (in row order, which is time order within a group). */
function truncateGroups(ds: Dataset, rows: Int32Array, random: Random): Int32Array {
  const byGroup = new Map<number, number[]>();
  for (const r of rows) {
    const g = ds.groups.index[r] as number;
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(r);
  }
  const kept: number[] = [];
  for (const g of [...byGroup.keys()].sort((a, b) => a - b)) {
    const list = byGroup.get(g)!;
    kept.push(...list.slice(0, 1 + random.nextInt(list.length)));
  }
  return Int32Array.from(kept);
}

const preview = (names: string[]) => names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length})` : '');

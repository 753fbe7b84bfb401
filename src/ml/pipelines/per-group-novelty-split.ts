import { inputError } from '../../errors.js';
import type { SplitSpec } from '../../pipeline/schema.js';
import { Random } from '../../random.js';
import type { Dataset, Fold, SplitPlan } from './types.js';

type Params = Extract<SplitSpec, { kind: 'per-group-novelty' }>;

/**
 * MIMII's protocol per group (machine id × noise level), once per seed: as
 * many normal clips as the group has abnormal ones are held out with all the
 * abnormal clips (at most half the normals); the detector is fitted on the
 * other normal clips only. The held-out clips are split, stratified, into a
 * validation part (choosing the detector and calibrating the alarm threshold)
 * and the test part that is reported.
 */
export function perGroupNoveltySplit(ds: Dataset, params: Params, normalLabel: number): SplitPlan {
  if (!ds.target) throw inputError('a per-group novelty split needs labels (which clips are normal)');
  const byGroup = new Map<number, { normal: number[]; abnormal: number[] }>();
  for (let r = 0; r < ds.rows; r++) {
    const g = ds.groups.index[r] as number;
    if (!byGroup.has(g)) byGroup.set(g, { normal: [], abnormal: [] });
    byGroup.get(g)![ds.target[r] === normalLabel ? 'normal' : 'abnormal'].push(r);
  }
  const folds: Fold[] = [];
  for (const seed of params.seeds)
    for (const [g, { normal, abnormal }] of byGroup) {
      if (abnormal.length === 0 || normal.length < 4)
        throw inputError(`group ${ds.groups.names[g]}: needs abnormal rows and at least 4 normal rows`);
      const rng = new Random(seed * 1_000_003 + g);
      const shuffle = (rows: number[]) => Array.from(rng.permutation(rows.length), (i) => rows[i] as number);
      const normals = shuffle(normal);
      const abnormals = shuffle(abnormal);
      const held = Math.min(abnormals.length, Math.floor(normals.length / 2));
      const cut = (rows: number[]) => Math.round(rows.length * params.validationShare);
      const heldNormals = normals.slice(0, held);
      const sorted = (rows: number[]) => Int32Array.from(rows).sort();
      folds.push({
        group: g,
        seed,
        fit: sorted(normals.slice(held)),
        validation: sorted([...heldNormals.slice(0, cut(heldNormals)), ...abnormals.slice(0, cut(abnormals))]),
        test: sorted([...heldNormals.slice(cut(heldNormals)), ...abnormals.slice(cut(abnormals))]),
      });
    }
  return {
    mode: 'per-group',
    folds,
    finalFit: Int32Array.from(folds.filter((f) => f.seed === params.seeds[0]).flatMap((f) => [...f.fit])),
    describe: `per group (${byGroup.size} groups), seeds ${params.seeds.join(', ')}: fit on normal rows only; as many normal rows as abnormal ones held out with every abnormal row, ${Math.round(params.validationShare * 100)} % of them validation (detector choice, alarm threshold), the rest test`,
    normalLabel,
  };
}

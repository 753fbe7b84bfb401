import type { ModelSpec } from '../../pipeline/schema.js';
import { describeDetector, fitDetector } from '../anomaly/detectors/fit-detector.js';
import { rocAuc } from '../metrics/ranking-metrics.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type Params = Extract<ModelSpec, { kind: 'group-novelty' }>;

export interface FoldScores {
  group: string;
  seed: number;
  validation: { rows: number[]; scores: number[] };
  test: { rows: number[]; scores: number[] };
}

/** model.json of a group-novelty run: the detector kept, every candidate's validation AUC, and the chosen one's scores per fold. */
export interface GroupNoveltyModel {
  chosen: string;
  transform: 'log' | 'none';
  candidates: { name: string; validationAuc: number; testAuc: number }[];
  folds: FoldScores[];
  /** Test scores of every candidate per fold (for the side-by-side table; the choice never reads them). */
  candidateTests: Record<string, number[][]>;
}

const rowMajor = (ds: Dataset, rows: Int32Array) => {
  const d = ds.featureNames.length;
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = ds.data[j * ds.rows + r] as number;
  });
  return out;
};

/**
 * Fits every candidate detector per fold (group × seed) on that fold's normal
 * fit rows, scores its validation and test rows, and keeps the candidate with
 * the best mean validation ROC-AUC over all folds (the first on ties). Test
 * rows never take part in the choice.
 */
export function fitGroupNovelty(params: Params, ds: Dataset, plan: SplitPlan, started: number): TrainedModel {
  const d = ds.featureNames.length;
  const normalLabel = plan.normalLabel ?? 0;
  const isAnomaly = (r: number) => (ds.target![r] === normalLabel ? 0 : 1);
  const names = params.params.detectors.map(describeDetector);
  const perCandidate = names.map(() => [] as FoldScores[]);
  for (const fold of plan.folds) {
    const fit = rowMajor(ds, fold.fit);
    const val = rowMajor(ds, fold.validation!);
    const test = rowMajor(ds, fold.test);
    params.params.detectors.forEach((spec, c) => {
      const score = fitDetector(spec, fit, fold.fit.length, d, {
        transform: params.params.transform,
        seed: fold.seed ?? 0,
      });
      perCandidate[c]!.push({
        group: ds.groups.names[fold.group ?? 0] ?? '',
        seed: fold.seed ?? 0,
        validation: { rows: [...fold.validation!], scores: [...score(val, fold.validation!.length)] },
        test: { rows: [...fold.test], scores: [...score(test, fold.test.length)] },
      });
    });
  }
  const meanAuc = (folds: FoldScores[], part: 'validation' | 'test') =>
    folds.reduce((s, f) => s + rocAuc(f[part].rows.map(isAnomaly), f[part].scores), 0) / folds.length;
  const candidates = names.map((name, c) => ({
    name,
    validationAuc: meanAuc(perCandidate[c]!, 'validation'),
    testAuc: meanAuc(perCandidate[c]!, 'test'),
  }));
  let best = 0;
  candidates.forEach((c, i) => {
    if (c.validationAuc > candidates[best]!.validationAuc) best = i;
  });
  const folds = perCandidate[best]!;
  const model: GroupNoveltyModel = {
    chosen: names[best]!,
    transform: params.params.transform,
    candidates,
    folds,
    candidateTests: Object.fromEntries(names.map((n, c) => [n, perCandidate[c]!.map((f) => f.test.scores)])),
  };
  return {
    kind: 'group-novelty',
    model,
    featureNames: ds.featureNames,
    encoding: ds.encoding,
    params: { ...params.params, chosen: names[best] },
    fitRows: plan.finalFit.length,
    fitSeconds: (performance.now() - started) / 1000,
    test: {
      rows: Int32Array.from(folds.flatMap((f) => f.test.rows)),
      scores: Float64Array.from(folds.flatMap((f) => f.test.scores)),
      predicted: null,
      baselines: null,
    },
    fitScores: null,
    classes: null,
  };
}

import { inputError } from '../../errors.js';
import type { ModelSpec } from '../../pipeline/schema.js';
import { probationRows } from '../anomaly/nab/nab-profiles.js';
import { noveltyScore } from '../anomaly/stream/novelty-score.js';
import { tuneStreamDetector, type TunedStreamDetector } from '../anomaly/stream/tune-stream-detector.js';
import { groupSeries } from './group-series.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type StreamParams = Extract<ModelSpec, { kind: 'stream-novelty' }>;

/** model.json of a stream-novelty detector: the chosen settings, a threshold per NAB profile, and every setting tried. */
export type StreamNoveltyModel = TunedStreamDetector & { validationGroups: string[]; probationShare: number };

/**
 * Tunes the streaming novelty detector on the validation groups (the split's
 * fit rows, labelled) and scores every test group online with the chosen
 * settings: each group is its own stream, scored from its first row on.
 */
export function fitStreamNovelty(
  params: StreamParams,
  ds: Dataset,
  plan: SplitPlan,
  probationShare: number,
  started: number,
): TrainedModel {
  if (!ds.target) throw inputError('a stream-novelty detector is tuned on labelled windows: the source needs a label');
  const fold = plan.folds[0]!;
  const validation = groupSeries(ds, fold.fit).map((g) => ({
    ...g,
    probation: probationRows(g.series.length, probationShare),
  }));
  const tuned = tuneStreamDetector(validation, params.params);
  const testRows: number[] = [];
  const scores: number[] = [];
  for (const g of groupSeries(ds, fold.test)) {
    testRows.push(...g.rows);
    scores.push(...noveltyScore(g.series, tuned.settings));
  }
  const model: StreamNoveltyModel = { ...tuned, validationGroups: validation.map((g) => g.group), probationShare };
  return {
    kind: 'stream-novelty',
    model,
    featureNames: ds.featureNames.slice(0, 1),
    encoding: ds.encoding,
    params: { ...params.params, chosen: tuned.settings },
    fitRows: fold.fit.length,
    fitSeconds: (performance.now() - started) / 1000,
    test: { rows: Int32Array.from(testRows), scores: Float64Array.from(scores), predicted: null, baselines: null },
    fitScores: null,
    classes: null,
  };
}

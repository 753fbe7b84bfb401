import type { StageContext } from '../../../pipeline/stage.js';
import type { Dataset, SplitPlan, TrainedModel } from '../types.js';
import type { Detector, DetectorSpec } from './detector.js';
import { fitDetector } from './fit-detector.js';

/**
 * model.json of a per-group run: the detector of one group (the last, in
 * source order: the newest run when files are listed oldest first), which
 * model.onnx serves, and how every group was fitted. Each group's own model is
 * re-fitted by `smx train` (seeded), so storing all of them would only repeat it.
 */
export interface PerGroupModelJson {
  kind: 'smx.per-group';
  served: string;
  model: unknown;
  groups: { name: string; fitRows: number; calibrationRows: number; testRows: number }[];
}

export const isPerGroupModel = (json: unknown): json is PerGroupModelJson =>
  typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'smx.per-group';

/** The model that serves predictions: the served group's for a per-group run. */
export const servedModelJson = (json: unknown): unknown => (isPerGroupModel(json) ? json.model : json);

/** Test rows explained per fold (PCA contributions for the report): its highest scores. */
const TOP_EXPLAINED = 3;

function explainTop(detector: Detector, ds: Dataset, rows: Int32Array, scores: Float64Array, k: number) {
  const order = [...rows.keys()].filter((i) => !Number.isNaN(scores[i])).sort((a, b) => scores[b]! - scores[a]!);
  const top = Int32Array.from(order.slice(0, k), (i) => rows[i]!);
  return detector.explain!(ds, top).map((c, i) => ({ row: top[i]!, score: scores[order[i]!]!, ...c }));
}

const concat = (parts: Int32Array[]) => Int32Array.from(parts.flatMap((p) => [...p]));
const concatScores = (parts: Float64Array[]) => Float64Array.from(parts.flatMap((p) => [...p]));

/**
 * Fits detectors on a split plan: per group (one model per group, each scoring
 * its own calibration and test rows), or one model on the plan's fit rows.
 * Every detector also scores its fit rows, so SKAB's pool (which counts them)
 * and the fit-quantile rule can be computed; calibration rows are scored but
 * never passed to the fit.
 */
export async function fitDetectors(
  spec: DetectorSpec,
  ds: Dataset,
  plan: SplitPlan,
  context: StageContext,
): Promise<Omit<TrainedModel, 'fitSeconds'>> {
  const folds =
    plan.mode === 'per-group'
      ? plan.folds
      : [{ fit: plan.finalFit, test: plan.folds.flatMap((f) => [...f.test]), calibration: plan.folds[0]?.calibration }];
  const test: { rows: Int32Array[]; scores: Float64Array[] } = { rows: [], scores: [] };
  const fit: typeof test = { rows: [], scores: [] };
  const calibration: typeof test = { rows: [], scores: [] };
  let served: Detector | undefined;
  let limit: number | null = null;
  const groups: PerGroupModelJson['groups'] = [];
  const contributions: NonNullable<NonNullable<TrainedModel['anomaly']>['contributions']> = [];
  try {
    for (const fold of folds) {
      context.signal?.throwIfAborted();
      const testRows = Int32Array.from(fold.test);
      const calRows = fold.calibration ?? new Int32Array(0);
      const detector = await fitDetector(spec, { ds, fit: fold.fit, calibration: calRows, signal: context.signal });
      try {
        const testScores = await detector.score(ds, testRows);
        test.rows.push(testRows);
        test.scores.push(testScores);
        if (detector.explain) contributions.push(...explainTop(detector, ds, testRows, testScores, TOP_EXPLAINED));
        fit.rows.push(fold.fit);
        fit.scores.push(await detector.score(ds, fold.fit));
        calibration.rows.push(calRows);
        calibration.scores.push(await detector.score(ds, calRows));
        limit = detector.limit;
        if ('group' in fold && fold.group !== undefined)
          groups.push({
            name: ds.groups.names[fold.group] ?? String(fold.group),
            fitRows: fold.fit.length,
            calibrationRows: calRows.length,
            testRows: testRows.length,
          });
      } finally {
        if (served) served.dispose();
        served = detector;
      }
    }
    const servedJson = served!.toJSON();
    const fitScores = concatScores(fit.scores);
    const hasCalibration = calibration.rows.some((r) => r.length > 0);
    return {
      kind: spec.kind,
      model:
        plan.mode === 'per-group'
          ? { kind: 'smx.per-group', served: groups.at(-1)!.name, model: servedJson, groups }
          : servedJson,
      featureNames: ds.featureNames,
      encoding: ds.encoding,
      params: { ...spec.params },
      fitRows: plan.finalFit.length,
      test: { rows: concat(test.rows), scores: concatScores(test.scores), predicted: null, baselines: null },
      fitScores,
      anomaly: {
        fit: { rows: concat(fit.rows), scores: fitScores },
        calibration: hasCalibration
          ? { rows: concat(calibration.rows), scores: concatScores(calibration.scores) }
          : null,
        limit,
        ...(contributions.length ? { contributions } : {}),
      },
      classes: null,
    };
  } finally {
    served?.dispose();
  }
}

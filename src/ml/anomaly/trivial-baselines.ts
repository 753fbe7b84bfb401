import { Random } from '../../random.js';
import { averagePrecision, rocAuc } from '../metrics/ranking-metrics.js';
import { RandomForestClassifier } from '../tree/random-forest-classifier.js';
import { alarmFigures, countAlarms, type AlarmFigures } from './alarm-metrics.js';

/**
 * The trivial detectors every anomaly figure is read beside, on the same rows:
 * - always-anomaly: flags every row (SKAB: F1 0.698 at FAR 100 % when 53.7 % of
 *   scored rows are anomalous);
 * - position: the row's position in its group as the score ("rows since the
 *   experiment started"), thresholded like the model (alarms from `positionCut`);
 * - random: uniform scores for the ranking, and alarms drawn at the model's own
 *   alarm rate (seeded), so its F1 and FAR are at the model's operating point;
 * - position-rf: a random forest on position alone, fitted on other groups'
 *   labels (group k-fold), scored at p ≥ 0.5 — how much a supervised model
 *   gets from where in the experiment a row is, knowing nothing of the sensors.
 */
export interface BaselineFigures extends Partial<AlarmFigures> {
  rocAuc: number;
  prAuc: number;
}

export interface BaselineInput {
  labels: Float64Array;
  positions: Int32Array;
  groups: Int32Array;
  /** The model's alarm rate on these rows (the random baseline's). */
  alarmRate: number;
  /** Rows at or after this position alarm in the position baseline (its threshold). */
  positionCut: number;
  seed: number;
}

export function trivialBaselines(input: BaselineInput): Record<string, BaselineFigures> {
  const { labels: y, positions, groups } = input;
  const n = y.length;
  const out: Record<string, BaselineFigures> = {};
  out['always-anomaly'] = {
    ...alarmFigures(countAlarms(y, new Uint8Array(n).fill(1))),
    rocAuc: 0.5,
    prAuc: y.reduce((a, b) => a + b, 0) / Math.max(1, n),
  };
  const position = Float64Array.from(positions);
  out.position = {
    ...alarmFigures(
      countAlarms(
        y,
        Uint8Array.from(positions, (p) => (p >= input.positionCut ? 1 : 0)),
      ),
    ),
    rocAuc: rocAuc(y, position),
    prAuc: averagePrecision(y, position),
  };
  const random = new Random(input.seed);
  const scores = Float64Array.from({ length: n }, () => random.nextFloat());
  const alarms = Uint8Array.from({ length: n }, () => (random.nextFloat() < input.alarmRate ? 1 : 0));
  out.random = {
    ...alarmFigures(countAlarms(y, alarms)),
    rocAuc: rocAuc(y, scores),
    prAuc: averagePrecision(y, scores),
  };
  const rf = positionForest(y, position, groups, input.seed);
  if (rf) out['position-rf'] = rf;
  return out;
}

/** Out-of-fold P(anomalous | position) by group k-fold (k = min(5, groups)); null with fewer than 2 groups or one class. */
function positionForest(y: Float64Array, position: Float64Array, groups: Int32Array, seed: number) {
  const ids = [...new Set(groups)].sort((a, b) => a - b);
  if (ids.length < 2 || new Set(y).size < 2) return null;
  const k = Math.min(5, ids.length);
  const foldOf = new Map(ids.map((g, i) => [g, i % k]));
  const p = new Float64Array(y.length);
  for (let f = 0; f < k; f++) {
    const fit = [...y.keys()].filter((i) => foldOf.get(groups[i]!) !== f);
    const test = [...y.keys()].filter((i) => foldOf.get(groups[i]!) === f);
    if (test.length === 0 || new Set(fit.map((i) => y[i])).size < 2) continue;
    const forest = new RandomForestClassifier({ nEstimators: 50, minSamplesLeaf: 5, seed }).train(
      { rows: fit.length, cols: 1, data: Float64Array.from(fit, (i) => position[i]!) },
      Float64Array.from(fit, (i) => y[i]!),
    );
    const proba = forest.predictProba({
      rows: test.length,
      cols: 1,
      data: Float64Array.from(test, (i) => position[i]!),
    });
    const c = forest.classes.indexOf(1);
    test.forEach((i, t) => (p[i] = c < 0 ? 0 : proba[t * forest.classes.length + c]!));
  }
  return {
    ...alarmFigures(
      countAlarms(
        y,
        Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0)),
      ),
    ),
    rocAuc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
  };
}

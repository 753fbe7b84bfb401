import type { EvaluationSpec } from '../../pipeline/schema.js';
import { nabProfileNames, nabProfiles, probationRows, type NabProfileName } from '../anomaly/nab/nab-profiles.js';
import { normaliseNabScore, scoreDetections, type NabFileScore } from '../anomaly/nab/nab-score.js';
import type { NabScoredFile } from '../anomaly/nab/threshold-sweep.js';
import { alarmsWithHoldOff } from '../anomaly/stream/hold-off.js';
import { tuneAlarmThreshold } from '../anomaly/stream/tune-alarm-threshold.js';
import { Random } from '../../random.js';
import type { EvaluationFigures } from './evaluation-figures.js';
import { groupSeries } from './group-series.js';
import type { StreamNoveltyModel } from './stream-model.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type NabSpec = Extract<EvaluationSpec, { kind: 'nab' }>;
type Files = (NabScoredFile & { group: string; series: Float64Array; time: Float64Array | null })[];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const sd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(sum(xs.map((x) => (x - mean(xs)) ** 2)) / (xs.length - 1)));

/** Summed NAB score of files alarmed at `threshold` with a hold-off, and the per-file details. */
function scoreFiles(files: Files, profile: NabProfileName, threshold: number, holdRows: number) {
  const perFile = files.map((f) =>
    scoreDetections(alarmsWithHoldOff(f.scores, threshold, holdRows), f.windows, nabProfiles[profile], f.probation),
  );
  const raw = sum(perFile.map((s) => s.raw));
  const normalised = normaliseNabScore(raw, sum(perFile.map((s) => s.perfect)), sum(perFile.map((s) => s.null)));
  return { raw, normalised, perFile };
}

/** A score stream made by `make` for each file, thresholds tuned on `tune` and applied to `test`. */
function tunedBaseline(tune: Files, test: Files, holdRows: number, make: (f: Files[number]) => Float64Array) {
  const withScores = (files: Files) => files.map((f) => ({ ...f, scores: make(f) }));
  const t = withScores(tune);
  const s = withScores(test);
  return Object.fromEntries(
    nabProfileNames.map((p) => {
      const th = tuneAlarmThreshold(t, nabProfiles[p], holdRows).threshold;
      return [p, scoreFiles(s, p, th, holdRows).raw];
    }),
  ) as Record<NabProfileName, number>;
}

function describeFile(f: Files[number], s: NabFileScore) {
  const at = (row: number | null) => (row === null ? null : f.time ? new Date(f.time[row]!).toISOString() : row);
  return {
    group: f.group,
    rows: f.scores.length,
    probation: f.probation,
    raw: s.raw,
    normalised: s.normalised,
    windows: s.windows.map((w) => ({
      start: at(w.start),
      end: at(w.end),
      detectedAt: at(w.detectedAt),
      rowsAfterStart: w.detectedAt === null ? null : w.detectedAt - w.start,
      weight: w.weight,
    })),
    falseAlarms: s.falsePositives.map((p) => ({ at: at(p.row), weight: p.weight })),
  };
}

/**
 * NAB scoring of a stream detector on the test groups with the thresholds it
 * tuned on the validation groups, beside NAB's trivial detectors on the same
 * rows (null, always-alarm, random scores and row position with thresholds
 * tuned the same way) and, labelled apart, NAB's own protocol of one
 * threshold per profile tuned over the whole corpus (test files included: not
 * a test figure).
 */
export function nabMetrics(params: NabSpec, ds: Dataset, plan: SplitPlan, trained: TrainedModel): EvaluationFigures {
  const model = trained.model as StreamNoveltyModel;
  const hold = model.settings.holdRows;
  const byRow = new Float64Array(ds.rows).fill(NaN);
  trained.test.rows.forEach((r, i) => (byRow[r] = trained.test.scores[i] as number));
  const files = (rows: Int32Array): Files =>
    groupSeries(ds, rows).map((g) => ({
      ...g,
      scores: Float64Array.from(g.rows, (r) => byRow[r] as number),
      probation: probationRows(g.series.length, params.probationShare),
      time: ds.time ? Float64Array.from(g.rows, (r) => ds.time![r] as number) : null,
    }));
  const test = files(plan.folds[0]!.test);
  const validation = files(plan.folds[0]!.fit);
  const metrics: Record<string, number> = {};
  const detail: Record<string, unknown> = {
    settings: model.settings,
    thresholds: model.thresholds,
    tried: model.tried,
  };
  const perProfile: Record<string, unknown> = {};
  for (const p of nabProfileNames) {
    const r = scoreFiles(test, p, model.thresholds[p].threshold, hold);
    metrics[`nab_${p}`] = r.raw;
    metrics[`nab_${p}_normalised`] = r.normalised;
    perProfile[p] = r.perFile.map((s, i) => describeFile(test[i]!, s));
  }
  const standard = scoreFiles(test, 'standard', model.thresholds.standard.threshold, hold);
  const windows = sum(standard.perFile.map((s) => s.windows.length));
  const normalRows =
    sum(test.map((f) => f.scores.length - f.probation)) -
    sum(test.flatMap((f) => f.windows.map((w) => w.end - Math.max(w.start, f.probation) + 1)));
  metrics.windows_detected = sum(standard.perFile.map((s) => s.windows.filter((w) => w.detectedAt !== null).length));
  metrics.windows = windows;
  metrics.false_alarms = sum(standard.perFile.map((s) => s.fpRows));
  metrics.false_alarms_per_1000_normal_rows = (1000 * metrics.false_alarms) / normalRows;
  metrics.validation_nab_standard = model.thresholds.standard.score;

  // NAB's trivial detectors on the same test rows.
  const testLength = (f: Files[number]) => f.scores.length;
  for (const p of nabProfileNames) {
    metrics[`null_${p}`] = sum(
      test.map((f) => -nabProfiles[p].fnWeight * f.windows.filter((w) => w.end >= f.probation).length),
    );
    metrics[`always_${p}`] = sum(
      test.map(
        (f) => scoreDetections(new Uint8Array(testLength(f)).fill(1), f.windows, nabProfiles[p], f.probation).raw,
      ),
    );
  }
  const position = tunedBaseline(validation, test, hold, (f) =>
    Float64Array.from({ length: f.series.length }, (_, i) => i / f.series.length),
  );
  const random = params.seeds.map((seed) => {
    const rng = new Random(seed);
    return tunedBaseline(validation, test, hold, (f) =>
      Float64Array.from({ length: f.series.length }, () => rng.nextFloat()),
    );
  });
  for (const p of nabProfileNames) {
    metrics[`position_${p}`] = position[p];
    metrics[`random_${p}_mean`] = mean(random.map((r) => r[p]));
    metrics[`random_${p}_sd`] = sd(random.map((r) => r[p]));
  }

  // NAB's own protocol: one threshold per profile tuned over every file, the test files included.
  const corpus = [...validation, ...test];
  for (const p of nabProfileNames) {
    const th = tuneAlarmThreshold(corpus, nabProfiles[p], hold).threshold;
    metrics[`corpus_tuned_${p}`] = scoreFiles(test, p, th, hold).raw;
  }
  detail.perProfile = perProfile;
  detail.protocol =
    'settings and a threshold per profile tuned on the validation groups, applied unchanged to the test groups; ' +
    'corpus_tuned_* use NAB’s protocol (threshold tuned over validation and test files together) and are not test figures';
  detail.baselines = {
    null: 'no alarm: every window missed',
    always: 'an alarm on every row',
    position: 'score = row position / rows, threshold tuned on the validation groups, same hold-off',
    random: `uniform random scores, seeds ${params.seeds.join(', ')}, threshold tuned on the validation groups, same hold-off`,
  };
  return { primary: { name: 'nab_standard', value: metrics.nab_standard!, higherIsBetter: true }, metrics, detail };
}

import type { ModelSpec } from '../../pipeline/schema.js';
import { healthAlarm } from '../anomaly/health/health-alarm.js';
import { groupSeries } from './group-series.js';
import type { Dataset, SplitPlan, TrainedModel } from './types.js';

type Params = Extract<ModelSpec, { kind: 'health-alarm' }>;

export interface BearingAlarm {
  group: string;
  failed: boolean;
  /** Epoch ms per snapshot kept (trailing snapshots of a stopped machine dropped). */
  time: number[];
  z: number[];
  threshold: number;
  episodes: [number, number][];
  calibrationEnd: number;
  calibrationExceedance: number;
  droppedTail: number;
}

export interface HealthAlarmModel {
  settings: Params['params'];
  bearings: BearingAlarm[];
}

const median = (xs: ArrayLike<number>) => {
  const s = Float64Array.from(xs).sort();
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/**
 * One alarm per bearing channel, learned on its own healthy start. Snapshots
 * after the machine stopped (the indicator below a tenth of its healthy
 * median: IMS tests 2 and 3 end with such rows) are dropped. With
 * `reference: siblings` the indicator is first divided by the median of the
 * same run's channels at the same snapshot, so a change every bearing of the
 * machine shares (load, temperature) is not a bearing alarm.
 */
export function fitHealthAlarms(params: Params, ds: Dataset, plan: SplitPlan, started: number): TrainedModel {
  const s = params.params;
  const groups = groupSeries(ds, plan.finalFit);
  const run = (g: (typeof groups)[number]) => g.group.slice(0, g.group.lastIndexOf('/'));
  const bearings: BearingAlarm[] = [];
  const rows: number[] = [];
  const scores: number[] = [];
  for (const g of groups) {
    let hi = g.series;
    const siblings = groups.filter((o) => run(o) === run(g) && o.series.length === g.series.length);
    if (s.reference === 'siblings' && siblings.length > 1)
      hi = hi.map((v, t) => v / median(siblings.map((o) => o.series[t] as number)));
    const healthy = median(g.series.subarray(0, s.fitRows));
    let end = g.series.length;
    while (end > 0 && (g.series[end - 1] as number) < 0.1 * healthy) end--;
    const alarm = healthAlarm(hi.subarray(0, end), s);
    bearings.push({
      group: g.group,
      failed: (g.labels?.[0] ?? 0) === 1,
      time: Array.from(g.rows.subarray(0, end), (r) => ds.time?.[r] ?? r),
      z: [...alarm.z],
      threshold: alarm.threshold,
      episodes: alarm.episodes,
      calibrationEnd: s.fitRows + s.calibrationRows,
      calibrationExceedance: alarm.calibrationExceedance,
      droppedTail: g.series.length - end,
    });
    rows.push(...g.rows.subarray(0, end));
    scores.push(...alarm.z);
  }
  const model: HealthAlarmModel = { settings: s, bearings };
  return {
    kind: 'health-alarm',
    model,
    featureNames: ds.featureNames.slice(0, 1),
    encoding: ds.encoding,
    params: { ...s },
    fitRows: s.fitRows * groups.length,
    fitSeconds: (performance.now() - started) / 1000,
    test: { rows: Int32Array.from(rows), scores: Float64Array.from(scores), predicted: null, baselines: null },
    fitScores: null,
    classes: null,
  };
}

import type { EvaluationFigures } from './evaluation-figures.js';
import type { BearingAlarm, HealthAlarmModel } from './health-alarm-model.js';
import type { TrainedModel } from './types.js';

const hours = (ms: number) => ms / 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Per bearing: for one that failed, the warning time (failure = its last
 * snapshot before the machine stopped; warning = the start of the alarm
 * episode still open at the end) and every earlier alarm episode as a false
 * alarm; for one that did not fail, every alarm episode is a false alarm.
 * The false-alarm rate on unseen normal data: the share of the healthy
 * bearings' snapshots after the calibration that are above the threshold,
 * against the calibration's own share. Baseline: always alarm (warning = the
 * whole life after calibration, one false alarm per healthy bearing).
 */
export function runToFailureMetrics(trained: TrainedModel): EvaluationFigures {
  const model = trained.model as HealthAlarmModel;
  const persistence = model.settings.persistence;
  const per = model.bearings.map((b: BearingAlarm) => {
    const last = b.time.length - 1;
    const final = b.failed
      ? b.episodes.find((e, i) => i === b.episodes.length - 1 && e[1] >= last - persistence)
      : undefined;
    const falseEpisodes = b.episodes.filter((e) => e !== final);
    const after = b.z.slice(b.calibrationEnd);
    return {
      bearing: b.group,
      failed: b.failed,
      snapshots: b.time.length,
      threshold: b.threshold,
      failureAt: b.failed ? iso(b.time[last]!) : null,
      alarmAt: final ? iso(b.time[final[0]]!) : null,
      warningHours: final ? hours(b.time[last]! - b.time[final[0]]!) : null,
      lifeAfterCalibrationHours: hours(b.time[last]! - b.time[Math.min(b.calibrationEnd, last)]!),
      falseAlarms: falseEpisodes.map((e) => ({ from: iso(b.time[e[0]]!), to: iso(b.time[e[1]]!) })),
      exceedance: after.filter((z) => z > b.threshold).length / Math.max(1, after.length),
      calibrationExceedance: b.calibrationExceedance,
      droppedTail: b.droppedTail,
    };
  });
  const failed = per.filter((p) => p.failed);
  const healthy = per.filter((p) => !p.failed);
  const warned = failed.filter((p) => p.warningHours !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const metrics: Record<string, number> = {
    failed_bearings: failed.length,
    failed_bearings_warned: warned.length,
    mean_warning_hours: mean(warned.map((p) => p.warningHours!)),
    false_alarms: per.reduce((s, p) => s + p.falseAlarms.length, 0),
    false_alarms_on_failed_before_warning: failed.reduce((s, p) => s + p.falseAlarms.length, 0),
    false_alarms_on_healthy: healthy.reduce((s, p) => s + p.falseAlarms.length, 0),
    healthy_bearings: healthy.length,
    calibration_exceedance_rate: mean(per.map((p) => p.calibrationExceedance)),
    always_alarm_mean_warning_hours: mean(failed.map((p) => p.lifeAfterCalibrationHours)),
    always_alarm_false_alarms: healthy.length,
  };
  if (healthy.length) metrics.healthy_exceedance_rate = mean(healthy.map((p) => p.exceedance));
  return {
    primary: { name: 'mean_warning_hours', value: metrics.mean_warning_hours!, higherIsBetter: true },
    metrics,
    detail: { settings: model.settings, bearings: per },
  };
}

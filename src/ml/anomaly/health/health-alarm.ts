/**
 * An alarm on a bearing's health indicator learned on its healthy start:
 * the first `fitRows` snapshots give the indicator's healthy mean and
 * standard deviation (of its log, since vibration amplitudes grow
 * multiplicatively); the next `calibrationRows` snapshots — not used to fit —
 * set the threshold on the standardised indicator z at their `quantile`; an
 * alarm is raised once z stays above it for `persistence` snapshots in a row
 * and cleared once it stays below for as many. Uses only the past after the
 * calibration.
 */
export interface HealthAlarmSettings {
  fitRows: number;
  calibrationRows: number;
  quantile: number;
  persistence: number;
}

export interface HealthAlarm {
  z: Float64Array;
  threshold: number;
  /** Alarm episodes as [first alarmed row, last alarmed row], rows after the calibration only. */
  episodes: [number, number][];
  /** Share of calibration snapshots above the threshold (what the quantile allows). */
  calibrationExceedance: number;
}

export function healthAlarm(indicator: Float64Array, s: HealthAlarmSettings): HealthAlarm {
  const log = indicator.map((v) => Math.log(Math.max(v, 1e-12)));
  const fit = log.subarray(0, s.fitRows);
  const mean = fit.reduce((a, b) => a + b, 0) / fit.length;
  const sd = Math.sqrt(fit.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, fit.length - 1)) || 1;
  const z = log.map((v) => (v - mean) / sd);
  const calibration = Float64Array.from(z.subarray(s.fitRows, s.fitRows + s.calibrationRows)).sort();
  const pos = s.quantile * (calibration.length - 1);
  const lo = Math.floor(pos);
  const threshold =
    (calibration[lo] as number) +
    (pos - lo) * ((calibration[Math.min(lo + 1, calibration.length - 1)] as number) - (calibration[lo] as number));
  const calibrationExceedance = calibration.filter((v) => v > threshold).length / calibration.length;
  const episodes: [number, number][] = [];
  let above = 0;
  let below = 0;
  let open: [number, number] | null = null;
  for (let t = s.fitRows + s.calibrationRows; t < z.length; t++) {
    if ((z[t] as number) > threshold) {
      above++;
      below = 0;
      if (open) open[1] = t;
      else if (above >= s.persistence) {
        open = [t, t];
        episodes.push(open);
      }
    } else {
      below++;
      above = 0;
      if (open && below >= s.persistence) open = null;
    }
  }
  return { z, threshold, episodes, calibrationExceedance };
}

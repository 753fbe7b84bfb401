/**
 * Alarms from a score stream: a row alarms when its score reaches the
 * threshold and no alarm was raised in the `holdRows` rows before it, so one
 * excursion raises one alarm instead of one per row (NAB charges every
 * detection outside a window as a false positive). Uses only the past.
 */
export function alarmsWithHoldOff(scores: ArrayLike<number>, threshold: number, holdRows: number): Uint8Array {
  const alarms = new Uint8Array(scores.length);
  let last = -Infinity;
  for (let t = 0; t < scores.length; t++) {
    if ((scores[t] as number) >= threshold && t - last > holdRows) {
      alarms[t] = 1;
      last = t;
    }
  }
  return alarms;
}

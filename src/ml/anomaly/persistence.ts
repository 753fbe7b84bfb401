/**
 * Alarm persistence: a row alarms only when it and the `k − 1` rows before it
 * in the same series are all over the threshold — a causal debounce (SKAB's
 * Conv-AE asks for 59 anomalous windows in a row, some after the row; this
 * looks back only). `over` and the result are per row of one series, in time
 * order; k = 1 returns `over` unchanged.
 */
export function persistentAlarms(over: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(over.length);
  let run = 0;
  for (let i = 0; i < over.length; i++) {
    run = over[i] === 1 ? run + 1 : 0;
    out[i] = run >= k ? 1 : 0;
  }
  return out;
}

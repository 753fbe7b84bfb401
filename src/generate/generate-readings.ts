import type { Writable } from 'node:stream';
import { once } from 'node:events';
import {
  DEFAULT_DRIFT_SIZE,
  type DriftKind,
  planAnomalies,
  SensorSignal,
  sensorProfile,
  type AnomalyLabel,
  weeklyCycle,
} from './sensor-model.js';
import { usageError } from '../errors.js';

export interface GenerateOptions {
  sensors: number;
  days: number;
  seed: number;
  intervalMs: number;
  startMs: number;
  anomalies: boolean;
  driftAtMs?: number;
  /** What the drift does (default 'mixed': level and spread, as before). */
  driftKind?: DriftKind;
  /** Its size in units of each sensor's noise (default per kind, see sensor-model.ts). */
  driftSize?: number;
  /** A weekly cycle of this share of the daily amplitude (default 0: none). */
  weekly?: number;
  signal?: AbortSignal;
}

export interface GenerateResult {
  rows: number;
  sensors: number;
  startMs: number;
  endMs: number;
  labels: AnomalyLabel[];
}

export const generatedCsvHeader = 'sensor_id,timestamp,value,sensor_type,unit,quality\n';
const flushBytes = 1 << 20;

/**
 * Writes synthetic readings as long-format CSV (what `smx ingest` reads), time
 * by time and sensor by sensor, like a data logger would. Deterministic by seed.
 * Backpressure is honoured, so memory stays flat for any size.
 */
export async function generateReadings(out: Writable, options: GenerateOptions): Promise<GenerateResult> {
  const { sensors, days, seed, intervalMs, startMs } = options;
  if (!(intervalMs >= 1000) || intervalMs % 1000 !== 0)
    throw usageError('--interval must be a whole number of seconds, at least 1s.');
  const endMs = startMs + Math.round(days * 86_400_000);
  const labels: AnomalyLabel[] = [];
  const signals: SensorSignal[] = [];
  const suffixes: string[] = [];
  const prefixes: string[] = [];
  for (let i = 0; i < sensors; i++) {
    const profile = sensorProfile(i, seed);
    const planned = options.anomalies ? planAnomalies(profile, i, seed, startMs, endMs, intervalMs) : [];
    labels.push(...planned);
    if (options.driftAtMs !== undefined && options.driftAtMs < endMs) {
      labels.push({ sensorId: profile.sensorId, kind: 'drift', startMs: options.driftAtMs, endMs });
    }
    const kind = options.driftKind ?? 'mixed';
    const drift =
      options.driftAtMs === undefined
        ? undefined
        : { atMs: options.driftAtMs, kind, size: options.driftSize ?? DEFAULT_DRIFT_SIZE[kind] };
    signals.push(new SensorSignal(profile, i, seed, planned, drift, weeklyCycle(i, seed, options.weekly ?? 0)));
    prefixes.push(profile.sensorId + ',');
    suffixes.push(`,${profile.sensorType},${profile.unit},1\n`);
  }
  let buffer = generatedCsvHeader;
  let rows = 0;
  for (let t = startMs; t < endMs; t += intervalMs) {
    if (options.signal?.aborted) throw options.signal.reason;
    const stamp = new Date(t).toISOString().slice(0, 19) + 'Z,';
    for (let i = 0; i < sensors; i++) {
      const value = Math.round(signals[i]!.valueAt(t) * 10_000) / 10_000;
      buffer += prefixes[i]! + stamp + value + suffixes[i]!;
    }
    rows += sensors;
    if (buffer.length >= flushBytes) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  if (buffer.length) out.write(buffer);
  labels.sort((a, b) => a.startMs - b.startMs || a.sensorId.localeCompare(b.sensorId));
  return { rows, sensors, startMs, endMs, labels };
}

export function labelsCsv(labels: AnomalyLabel[]): string {
  const lines = labels.map(
    (l) => `${l.sensorId},${l.kind},${new Date(l.startMs).toISOString()},${new Date(l.endMs).toISOString()}`,
  );
  return 'sensor_id,kind,start,end\n' + lines.join('\n') + (lines.length ? '\n' : '');
}

import { createRandom, type Random } from './prng.js';

/**
 * What a synthetic sensor looks like: a daily cycle, optionally a weekly one,
 * noise, a slow wander, and — when asked — injected anomalies and a drift at
 * a known instant. Pure: given the same seed and plan it produces the same
 * values.
 *
 * Drift kinds (σ is the sensor's noise):
 *   mixed     the default: level + 3σ + 5 % of the base, and 1.5× the noise
 *   level     a level shift of `size` σ (default 4)
 *   variance  the noise × `size` (default 3)
 *   ramp      a slow ramp of `size` σ per hour from the onset (default 1)
 */
export type SensorType = 'temperature' | 'vibration' | 'pressure';

export interface SensorProfile {
  sensorId: string;
  sensorType: SensorType;
  unit: string;
  base: number;
  dailyAmplitude: number;
  noise: number;
  /** Phase of the daily cycle in hours (the warmest / busiest hour varies by sensor). */
  peakHour: number;
}

export type AnomalyKind = 'spike' | 'level_shift' | 'noise_burst' | 'drift';

export type DriftKind = 'mixed' | 'level' | 'variance' | 'ramp';
export const DRIFT_KINDS: readonly DriftKind[] = ['mixed', 'level', 'variance', 'ramp'];
export const DEFAULT_DRIFT_SIZE: Readonly<Record<DriftKind, number>> = { mixed: 1, level: 4, variance: 3, ramp: 1 };

export interface DriftPlan {
  atMs: number;
  kind: DriftKind;
  size: number;
}

/** A weekly cycle: amplitude as a share of the daily one, peaking on a weekday that varies by sensor. */
export interface WeeklyCycle {
  amplitude: number;
  /** Peak, in days after Monday 00:00 UTC. */
  peakDay: number;
}

export function weeklyCycle(index: number, seed: number, share: number): WeeklyCycle | undefined {
  if (!(share > 0)) return undefined;
  // Its own random stream, so the other streams (and every existing output) stay as they were.
  const random = createRandom(seed, 'weekly', index);
  return { amplitude: share, peakDay: 1.5 + 2 * random.next() };
}

export interface AnomalyLabel {
  sensorId: string;
  kind: AnomalyKind;
  startMs: number;
  /** Exclusive end; a spike lasts one sample. */
  endMs: number;
}

const types: Array<Omit<SensorProfile, 'sensorId' | 'peakHour'>> = [
  { sensorType: 'temperature', unit: 'C', base: 60, dailyAmplitude: 5, noise: 0.5 },
  { sensorType: 'vibration', unit: 'mm/s', base: 2.5, dailyAmplitude: 0.6, noise: 0.15 },
  { sensorType: 'pressure', unit: 'bar', base: 6, dailyAmplitude: 0.3, noise: 0.05 },
];

export function sensorProfile(index: number, seed: number): SensorProfile {
  const kind = types[index % types.length]!;
  const random = createRandom(seed, 'profile', index);
  return {
    ...kind,
    sensorId: `${kind.sensorType}-${String(index + 1).padStart(3, '0')}`,
    base: kind.base * (0.9 + 0.2 * random.next()),
    peakHour: 10 + 8 * random.next(),
  };
}

/** Plans anomalies for one sensor: about one every two days, inside the middle 80 % of the span. */
export function planAnomalies(
  profile: SensorProfile,
  index: number,
  seed: number,
  startMs: number,
  endMs: number,
  intervalMs: number,
): AnomalyLabel[] {
  const random = createRandom(seed, 'anomalies', index);
  const span = endMs - startMs;
  const count = Math.max(1, Math.round(span / (2 * 86_400_000)));
  const labels: AnomalyLabel[] = [];
  for (let k = 0; k < count; k++) {
    const at = startMs + Math.floor(((0.1 + 0.8 * random.next()) * span) / intervalMs) * intervalMs;
    const pick = random.next();
    const kind: AnomalyKind = pick < 0.4 ? 'spike' : pick < 0.7 ? 'level_shift' : 'noise_burst';
    const minutes = kind === 'spike' ? 0 : 30 + Math.floor(90 * random.next());
    const end = kind === 'spike' ? at + intervalMs : Math.min(endMs, at + Math.max(intervalMs, minutes * 60_000));
    labels.push({ sensorId: profile.sensorId, kind, startMs: at, endMs: end });
  }
  return labels.sort((a, b) => a.startMs - b.startMs);
}

/** Monday 1970-01-05 00:00 UTC: weeks are counted from a Monday. */
const mondayMs = 4 * 86_400_000;

/** One sensor's value stream; `valueAt` must be called with increasing times. */
export class SensorSignal {
  private readonly random: Random;
  private wander = 0;
  private readonly drift: DriftPlan | undefined;

  constructor(
    readonly profile: SensorProfile,
    index: number,
    seed: number,
    private readonly anomalies: AnomalyLabel[],
    drift: number | DriftPlan | undefined,
    private readonly weekly?: WeeklyCycle,
  ) {
    this.random = createRandom(seed, 'values', index);
    this.drift = typeof drift === 'number' ? { atMs: drift, kind: 'mixed', size: 1 } : drift;
  }

  valueAt(tMs: number): number {
    const p = this.profile;
    const hour = (tMs % 86_400_000) / 3_600_000;
    let cycle = p.dailyAmplitude * Math.cos((2 * Math.PI * (hour - p.peakHour)) / 24);
    if (this.weekly) {
      const day = ((((tMs - mondayMs) % 604_800_000) + 604_800_000) % 604_800_000) / 86_400_000;
      cycle += this.weekly.amplitude * p.dailyAmplitude * Math.cos((2 * Math.PI * (day - this.weekly.peakDay)) / 7);
    }
    this.wander = 0.999 * this.wander + 0.02 * p.noise * this.random.gaussian();
    let noise = p.noise;
    let level = p.base + cycle + this.wander;
    const drift = this.drift;
    if (drift !== undefined && tMs >= drift.atMs) {
      if (drift.kind === 'mixed') {
        level += 3 * p.noise + 0.05 * p.base; // a lasting shift in level …
        noise *= 1.5; // … and in spread
      } else if (drift.kind === 'level') level += drift.size * p.noise;
      else if (drift.kind === 'variance') noise *= drift.size;
      else level += (drift.size * p.noise * (tMs - drift.atMs)) / 3_600_000;
    }
    for (const a of this.anomalies) {
      if (tMs < a.startMs || tMs >= a.endMs) continue;
      if (a.kind === 'spike') level += 10 * p.noise + 0.3 * p.base;
      else if (a.kind === 'level_shift') level += 6 * p.noise + 0.1 * p.base;
      else noise *= 6;
    }
    const value = level + noise * this.random.gaussian();
    return p.sensorType === 'temperature' ? value : Math.max(0, value);
  }
}

/**
 * A second, structurally different generator of sensor readings, for the
 * independent check of the drift alarm (docs/drift.md): the recommended
 * settings were chosen on `smx generate` only and are never tuned on this one.
 *
 * How it differs from `smx generate` (src/generate/sensor-model.ts):
 * - the cycles are a production schedule, not sinusoids: three shifts on
 *   weekdays (06–14 full load, 14–22 at 70 %, nights at 25 %) with 20-minute
 *   ramps between them, and weekends idle at 10 % with no daily pattern (a
 *   weekly cycle that also changes the daily shape);
 * - each day's load is scaled by its own factor (N(1, 0.05²)), so days differ;
 * - the noise is AR(1) at the reading rate (φ from 0.7 to 0.95 by sensor), not
 *   white noise plus a slow wander;
 * - another sensor mix: motor currents, a flow, a bearing temperature that
 *   follows the load with a 90-minute lag, a pressure, and a vibration RMS
 *   whose noise is multiplicative (log-normal) and grows with load.
 * Drift kinds and sizes are those of `smx generate` (level 4σ, variance ×3,
 * ramp 1σ per hour, σ the sensor's noise), from `driftAtMs` on, in every sensor.
 */
import { Random } from '../../src/random.js';

export type SecondDriftKind = 'level' | 'variance' | 'ramp';

interface SensorSpec {
  id: string;
  type: string;
  unit: string;
  base: number;
  /** Added at full load. */
  loadGain: number;
  /** Noise σ (of the AR(1) process's marginal distribution). */
  noise: number;
  phi: number;
  /** First-order lag of the load, minutes (0: none). */
  lagMinutes: number;
  multiplicative?: boolean;
}

const SENSORS: readonly SensorSpec[] = [
  { id: 'motor-current-a', type: 'current', unit: 'A', base: 6, loadGain: 38, noise: 1.2, phi: 0.9, lagMinutes: 0 },
  { id: 'motor-current-b', type: 'current', unit: 'A', base: 5, loadGain: 30, noise: 0.9, phi: 0.8, lagMinutes: 0 },
  { id: 'flow-main', type: 'flow', unit: 'm3/h', base: 10, loadGain: 140, noise: 3, phi: 0.85, lagMinutes: 5 },
  {
    id: 'bearing-temp',
    type: 'bearing_temperature',
    unit: 'C',
    base: 31,
    loadGain: 24,
    noise: 0.3,
    phi: 0.95,
    lagMinutes: 90,
  },
  {
    id: 'line-pressure',
    type: 'pressure',
    unit: 'bar',
    base: 2.1,
    loadGain: 2.4,
    noise: 0.04,
    phi: 0.7,
    lagMinutes: 2,
  },
  {
    id: 'gearbox-vib',
    type: 'vibration_rms',
    unit: 'mm/s',
    base: 0.8,
    loadGain: 3.1,
    noise: 0.12,
    phi: 0.75,
    lagMinutes: 0,
    multiplicative: true,
  },
];

export const SECOND_GENERATOR_SENSORS = SENSORS.map((s) => s.id);

/** Load in [0, 1] at minute-of-week m (0 = Monday 00:00 UTC), before the day's factor. */
function scheduleLoad(minuteOfWeek: number): number {
  const day = Math.floor(minuteOfWeek / 1440);
  if (day >= 5) return 0.1; // weekend: idle
  const minute = minuteOfWeek % 1440;
  const level = (m: number) => (m >= 360 && m < 840 ? 1 : m >= 840 && m < 1320 ? 0.7 : 0.25);
  // 20-minute linear ramps into each shift.
  for (const edge of [360, 840, 1320]) {
    if (minute >= edge && minute < edge + 20) {
      const from = level(edge - 1);
      const to = level(edge);
      return from + ((to - from) * (minute - edge)) / 20;
    }
  }
  return level(minute);
}

export interface SecondGeneratorOptions {
  seed: number;
  /** A Monday, 00:00 UTC. */
  startMs: number;
  days: number;
  driftAtMs?: number;
  driftKind?: SecondDriftKind;
}

/** Long-format CSV as `smx ingest` reads it (sensor_id,timestamp,value,sensor_type,unit,quality). */
export function secondGeneratorCsv(options: SecondGeneratorOptions): string {
  const random = new Random(options.seed * 7919 + 17);
  const minutes = Math.round(options.days * 1440);
  const dayFactors = Array.from({ length: Math.ceil(options.days) + 1 }, () => 1 + 0.05 * random.nextNormal());
  const ar = SENSORS.map(() => 0);
  const lagged = SENSORS.map(() => Number.NaN);
  const lines: string[] = ['sensor_id,timestamp,value,sensor_type,unit,quality'];
  for (let m = 0; m < minutes; m++) {
    const t = options.startMs + m * 60_000;
    const stamp = new Date(t).toISOString().slice(0, 19) + 'Z';
    const load = scheduleLoad(m % 10_080) * dayFactors[Math.floor(m / 1440)]!;
    const drifting = options.driftAtMs !== undefined && t >= options.driftAtMs;
    SENSORS.forEach((s, i) => {
      // First-order lag of the load (a temperature follows it slowly).
      const alpha = s.lagMinutes > 0 ? 1 - Math.exp(-1 / s.lagMinutes) : 1;
      lagged[i] = Number.isNaN(lagged[i]!) ? load : lagged[i]! + alpha * (load - lagged[i]!);
      ar[i] = s.phi * ar[i]! + Math.sqrt(1 - s.phi * s.phi) * random.nextNormal();
      let noiseScale = 1;
      let shift = 0;
      if (drifting) {
        if (options.driftKind === 'level') shift = 4 * s.noise;
        else if (options.driftKind === 'variance') noiseScale = 3;
        else if (options.driftKind === 'ramp') shift = (s.noise * (t - options.driftAtMs!)) / 3_600_000;
      }
      const mean = s.base + s.loadGain * lagged[i]!;
      // Multiplicative: a log-normal spread of σ at 60 % load, proportional to the level elsewhere.
      const value = s.multiplicative
        ? mean * Math.exp((noiseScale * s.noise * ar[i]!) / (s.base + 0.6 * s.loadGain)) + shift
        : mean + noiseScale * s.noise * ar[i]! + shift;
      lines.push(`${s.id},${stamp},${Math.round(value * 10_000) / 10_000},${s.type},${s.unit},1`);
    });
  }
  return lines.join('\n') + '\n';
}

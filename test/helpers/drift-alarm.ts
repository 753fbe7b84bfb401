/**
 * The drift alarm's goal, measured: readings with a drift injected at a known
 * instant are loaded into a test database, `smx drift timeline` runs the
 * hourly checks over the whole period, and the chunks before and after the
 * onset give the false-alarm rate, the detection delay and the share of
 * checks that keep flagging. Shared by the goal test and
 * bench/drift-alarm-figures.mjs (the multi-seed figures in docs/drift.md).
 */
import { PassThrough } from 'node:stream';
import type { Db } from '../../src/db/db.js';
import { generateReadings } from '../../src/generate/generate-readings.js';
import type { DriftKind } from '../../src/generate/sensor-model.js';
import { runDriftTimeline } from '../../src/drift/timeline/run-drift-timeline.js';
import type { TimelineChunk } from '../../src/drift/timeline/timeline-types.js';
import type { EffectFloors } from '../../src/drift/types.js';
import { secondGeneratorCsv, type SecondDriftKind } from './second-generator.js';

export const HOUR_MS = 3_600_000;

export interface Scenario {
  name: string;
  csv: string;
  startMs: number;
  endMs: number;
  onsetMs: number;
}

/** `smx generate`: 6 sensors, 21 days of 1-minute readings with daily and weekly (0.3) cycles, drift in week 3. */
export async function firstGeneratorScenario(kind: Exclude<DriftKind, 'mixed'>, seed: number): Promise<Scenario> {
  const startMs = Date.UTC(2024, 0, 1); // a Monday
  const onsetMs = Date.UTC(2024, 0, 17, 7, 20);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await generateReadings(out, {
    sensors: 6,
    days: 21,
    seed,
    intervalMs: 60_000,
    startMs,
    anomalies: false,
    weekly: 0.3,
    driftAtMs: onsetMs,
    driftKind: kind,
  });
  out.end();
  return {
    name: `smx-generate/${kind}/seed-${seed}`,
    csv: Buffer.concat(chunks).toString(),
    startMs,
    endMs: result.endMs,
    onsetMs,
  };
}

/** The second generator (test/helpers/second-generator.ts): 6 sensors, 21 days, drift in week 3. */
export function secondGeneratorScenario(kind: SecondDriftKind, seed: number): Scenario {
  const startMs = Date.UTC(2024, 2, 4); // a Monday
  const onsetMs = Date.UTC(2024, 2, 20, 13, 40);
  return {
    name: `second-generator/${kind}/seed-${seed}`,
    csv: secondGeneratorCsv({ seed, startMs, days: 21, driftAtMs: onsetMs, driftKind: kind }),
    startMs,
    endMs: startMs + 21 * 86_400_000,
    onsetMs,
  };
}

/** Loads long-format CSV readings (sensor_id,timestamp,value,sensor_type,…) into sensors and sensor_readings. */
export async function loadScenario(db: Db, scenario: Scenario): Promise<string[]> {
  const lines = scenario.csv.trim().split('\n').slice(1);
  const types = new Map<string, string>();
  await db.query('truncate sensor_readings, sensor_readings_hourly, sensors cascade');
  await db.query('select smx_ensure_partitions($1, $2)', [new Date(scenario.startMs), new Date(scenario.endMs)]);
  for (let at = 0; at < lines.length; at += 50_000) {
    const ids: string[] = [];
    const ts: string[] = [];
    const values: number[] = [];
    for (const line of lines.slice(at, at + 50_000)) {
      const [id, t, v, type] = line.split(',');
      ids.push(id!);
      ts.push(t!);
      values.push(Number(v));
      types.set(id!, type!);
    }
    await db.query(
      'insert into sensor_readings (sensor_id, ts, value) select * from unnest($1::text[], $2::timestamptz[], $3::float8[])',
      [ids, ts, values],
    );
  }
  await db.query(
    `insert into sensors (sensor_id, sensor_type) select * from unnest($1::text[], $2::text[]) on conflict do nothing`,
    [[...types.keys()], [...types.values()]],
  );
  return [...types.keys()].sort();
}

export interface AlarmSettings {
  reference: string;
  effectFloors: Partial<EffectFloors> | false;
  driftShare?: number;
}

export interface AlarmFigures {
  /** Hourly checks that ended before the onset, and how many of them could decide. */
  preChecks: number;
  preDecided: number;
  falseAlarms: number;
  /** falseAlarms / preDecided. */
  falseAlarmRate: number;
  /** From the onset to the end of the first flagged check, hours; null when never flagged. */
  detectionHours: number | null;
  postChecks: number;
  postFlagged: number;
  postShare: number;
  /** The same per column (sensor): false alarms among decided column checks, flags after the onset. */
  columnFalseAlarmRate: number;
  columnPostShare: number;
  /** Checks before the onset with any quality alarm. */
  preQualityAlarms: number;
  chunks: TimelineChunk[];
}

export function alarmFigures(scenario: Scenario, chunks: readonly TimelineChunk[]): AlarmFigures {
  const pre = chunks.filter((c) => c.to.getTime() <= scenario.onsetMs);
  const post = chunks.filter((c) => c.from.getTime() >= scenario.onsetMs);
  const decided = pre.filter((c) => c.status === 'tested');
  const falseAlarms = decided.filter((c) => c.datasetDrift).length;
  const first = chunks.find((c) => c.to.getTime() > scenario.onsetMs && c.datasetDrift);
  const postFlagged = post.filter((c) => c.datasetDrift).length;
  const preColumns = decided.flatMap((c) => c.columns.filter((col) => col.status === 'tested'));
  const postColumns = post.flatMap((c) => c.columns.filter((col) => col.status === 'tested'));
  return {
    preChecks: pre.length,
    preDecided: decided.length,
    falseAlarms,
    falseAlarmRate: decided.length ? falseAlarms / decided.length : 0,
    detectionHours: first ? (first.to.getTime() - scenario.onsetMs) / HOUR_MS : null,
    postChecks: post.length,
    postFlagged,
    postShare: post.length ? postFlagged / post.length : 0,
    columnFalseAlarmRate: preColumns.length ? preColumns.filter((c) => c.drifted).length / preColumns.length : 0,
    columnPostShare: postColumns.length ? postColumns.filter((c) => c.drifted).length / postColumns.length : 0,
    preQualityAlarms: pre.filter((c) => c.qualityAlarms.length > 0).length,
    chunks: [...chunks],
  };
}

/** The hourly checks over the whole period as one timeline (not stored), and their figures. */
export async function measureAlarm(
  db: Db,
  scenario: Scenario,
  sensorIds: readonly string[],
  settings: AlarmSettings,
): Promise<AlarmFigures> {
  const result = await runDriftTimeline(db, {
    selection: { sensorIds },
    from: new Date(scenario.startMs),
    to: new Date(scenario.endMs),
    chunkMs: HOUR_MS,
    reference: settings.reference,
    compare: {
      effectFloors: settings.effectFloors,
      ...(settings.driftShare !== undefined ? { driftShare: settings.driftShare } : {}),
    },
    store: false,
    now: new Date(scenario.endMs),
  });
  return alarmFigures(scenario, result.chunks);
}

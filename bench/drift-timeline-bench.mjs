#!/usr/bin/env node
// `smx drift timeline` in one pass against the same hourly checks run one by one.
//   node bench/drift-timeline-bench.mjs [--sensors 100] [--days 21] [--rounds 2]
// Loads SENSORS sensors × DAYS days of 1-minute readings from `smx generate` (daily and weekly cycles, a level
// shift in week 3) into a scratch database, then alternates rounds of
//   - timeline: runDriftTimeline over the whole period, 1-hour chunks, seasonal:2w, calibrated floors, stored;
//   - one by one: runDriftCheck for each of the same hours (--current HOUR --at HOUR_END), stored, which is what
//     an hourly cron does over the same period, minus the process start per check;
// and the CLI timeline once (`smx drift timeline … --json`, process start included). One JSON line per figure
// with its same-run baseline; the hours' verdicts of both paths are compared (they must agree).
// Needs dist/ (npm run build) and PostgreSQL (SMX_TEST_DATABASE_URL or 127.0.0.1:5432).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../dist/test/helpers/database.js';
import { loadScenario } from '../dist/test/helpers/drift-alarm.js';
import { generateReadings } from '../dist/src/generate/generate-readings.js';
import { runDriftTimeline } from '../dist/src/drift/timeline/run-drift-timeline.js';
import { runDriftCheck } from '../dist/src/drift/run-drift-check.js';
import { DEFAULT_CALIBRATION } from '../dist/src/drift/calibration/effect-pool.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const sensors = arg('sensors', 100);
const days = arg('days', 21);
const rounds = arg('rounds', 2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOUR = 3_600_000;
const startMs = Date.UTC(2024, 0, 1);
const endMs = startMs + days * 86_400_000;
const emit = (figure) =>
  console.log(JSON.stringify({ bench: 'drift-timeline', sensors, days, chunks: (endMs - startMs) / HOUR, ...figure }));

const out = new PassThrough();
const parts = [];
out.on('data', (c) => parts.push(c));
await generateReadings(out, {
  sensors,
  days,
  seed: 1,
  intervalMs: 60_000,
  startMs,
  anomalies: false,
  weekly: 0.3,
  driftAtMs: Date.UTC(2024, 0, 17, 7, 20),
  driftKind: 'level',
});
out.end();
const database = await createTestDatabase({ poolSize: 6 });
try {
  const t0 = performance.now();
  const ids = await loadScenario(database.db, {
    name: 'bench',
    csv: Buffer.concat(parts).toString(),
    startMs,
    endMs,
    onsetMs: endMs,
  });
  const rows = (await database.db.query('select count(*)::int as n from sensor_readings')).rows[0].n;
  emit({ figure: 'load', rows, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) });
  await database.db.query('analyze');
  const settings = { reference: 'seasonal:2w', calibration: DEFAULT_CALIBRATION };
  const timeline = async () => {
    await database.db.query('truncate drift_checks');
    const started = performance.now();
    const result = await runDriftTimeline(database.db, {
      selection: { sensorIds: ids },
      from: new Date(startMs),
      to: new Date(endMs),
      chunkMs: HOUR,
      ...settings,
      store: true,
      now: new Date(endMs),
    });
    return { seconds: (performance.now() - started) / 1000, verdicts: result.chunks.map((c) => c.datasetDrift) };
  };
  const oneByOne = async () => {
    await database.db.query('truncate drift_checks');
    const started = performance.now();
    const verdicts = [];
    const deps = { database: async () => database.db, bus: () => Promise.reject(new Error('no bus')) };
    for (let t = startMs; t < endMs; t += HOUR) {
      const to = new Date(t + HOUR);
      const check = await runDriftCheck(
        {
          input: { kind: 'sensors', selection: { sensorIds: ids }, current: 'last:1h', reference: settings.reference },
          calibration: settings.calibration,
          store: true,
          emit: false,
          now: to,
          at: to,
          correlationId: 'bench',
        },
        deps,
      );
      verdicts.push(check.report.datasetDrift);
    }
    return { seconds: (performance.now() - started) / 1000, verdicts };
  };
  const results = { timeline: [], oneByOne: [] };
  let agree = true;
  for (let r = 0; r < rounds; r++) {
    const a = await timeline();
    const b = await oneByOne();
    results.timeline.push(a.seconds);
    results.oneByOne.push(b.seconds);
    agree &&= a.verdicts.length === b.verdicts.length && a.verdicts.every((v, i) => v === b.verdicts[i]);
  }
  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const tl = median(results.timeline);
  const obo = median(results.oneByOne);
  emit({
    figure: 'timeline vs hourly checks one by one (in process)',
    timelineSeconds: Number(tl.toFixed(2)),
    baseline: 'the same hours as one-off checks, one after the other',
    baselineSeconds: Number(obo.toFixed(2)),
    ratio: Number((tl / obo).toFixed(4)),
    ratioPerRound: results.timeline.map((t, i) => Number((t / results.oneByOne[i]).toFixed(4))),
    speedup: Number((obo / tl).toFixed(1)),
    rounds: {
      timeline: results.timeline.map((s) => Number(s.toFixed(2))),
      oneByOne: results.oneByOne.map((s) => Number(s.toFixed(2))),
    },
    verdictsAgree: agree,
  });
  const cliStarted = performance.now();
  const cli = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin', 'smx'),
      'drift',
      'timeline',
      '--sensor',
      ...ids,
      '--from',
      new Date(startMs).toISOString(),
      '--to',
      new Date(endMs).toISOString(),
      '--reference',
      'seasonal:2w',
      '--effect-floor',
      'calibrated',
      '--no-store',
      '--json',
    ],
    {
      env: { ...process.env, SMX_DATABASE_URL: database.url, SMX_REDIS_URL: '', SMX_LOG_LEVEL: 'warn' },
      maxBuffer: 1 << 30,
    },
  );
  const cliSeconds = (performance.now() - cliStarted) / 1000;
  const parsed = JSON.parse(cli.stdout.toString());
  emit({
    figure: 'smx drift timeline (CLI, process start included, not stored)',
    seconds: Number(cliSeconds.toFixed(2)),
    readingsStreamed: parsed.rowsRead,
    baseline: 'hourly checks one by one, in process (above)',
    baselineSeconds: Number(obo.toFixed(2)),
  });
} finally {
  await database.drop();
}

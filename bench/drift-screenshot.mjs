// Regenerates docs/img/drift-report.png and docs/img/drift-timeline.png from real checks: three weeks of
// `smx generate` readings (6 sensors, daily and weekly cycles, a level shift on 2024-01-17 07:20) in a
// scratch database, one hourly check just after the drift (seasonal:2w reference, calibrated floors from
// the stored timeline, multivariate checks on) and the timeline of weeks 2–3, rendered by headless Chromium.
// Run after `npm run build`:  node bench/drift-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../dist/test/helpers/database.js';
import { firstGeneratorScenario, loadScenario, HOUR_MS } from '../dist/test/helpers/drift-alarm.js';
import { runDriftTimeline } from '../dist/src/drift/timeline/run-drift-timeline.js';
import { runDriftCheck } from '../dist/src/drift/run-drift-check.js';
import { DEFAULT_CALIBRATION } from '../dist/src/drift/calibration/effect-pool.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'smx-drift-shot-'));

function shoot(html, name, height) {
  execFileSync(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--screenshot=${path.join(dir, name)}`,
      `--window-size=1200,${height}`,
      `file://${html}`,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  copyFileSync(path.join(dir, name), path.join(root, 'docs', 'img', name));
}

const database = await createTestDatabase();
try {
  const scenario = await firstGeneratorScenario('level', 11);
  const sensors = await loadScenario(database.db, scenario);
  const timeline = path.join(dir, 'timeline.html');
  await runDriftTimeline(database.db, {
    selection: { sensorIds: sensors },
    from: new Date(scenario.startMs + 7 * 86_400_000),
    to: new Date(scenario.endMs),
    chunkMs: HOUR_MS,
    reference: 'seasonal:2w',
    calibration: DEFAULT_CALIBRATION,
    store: true,
    reportPath: timeline,
    now: new Date(scenario.endMs),
  });
  shoot(timeline, 'drift-timeline.png', 1700);
  const at = new Date(Date.UTC(2024, 0, 17, 9));
  const report = path.join(dir, 'report.html');
  await runDriftCheck(
    {
      input: {
        kind: 'sensors',
        selection: { sensorIds: sensors },
        current: 'last:1h',
        reference: 'seasonal:2w',
      },
      calibration: DEFAULT_CALIBRATION,
      multivariate: {},
      store: false,
      emit: false,
      reportPath: report,
      now: at,
      at,
      correlationId: 'screenshot',
    },
    { database: async () => database.db, bus: () => Promise.reject(new Error('no bus')) },
  );
  shoot(report, 'drift-report.png', 1900);
} finally {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}

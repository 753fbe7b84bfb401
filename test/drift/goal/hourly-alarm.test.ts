/**
 * The goal of the drift alarm (issue 15, docs/drift.md "Recommended hourly
 * setup"): three weeks of 1-minute readings of 6 sensors from `smx generate`
 * with daily and weekly cycles, a drift injected in week 3 — a level shift, a
 * variance change, a slow ramp — and the hourly checks with the recommended
 * settings over the whole period (one `smx drift timeline`, which checks each
 * hour as a one-off `smx drift --current HOUR` would; the last test checks a
 * few hours that way):
 *   - false alarms on at most 1 % of the decided hourly checks before the drift,
 *   - the drift flagged within 3 hours of its onset,
 *   - and flagged on at least 90 % of the hourly checks after it.
 * The settings were chosen on seeds 1–5; this test runs seed 11.
 *
 * The independent check on the second generator (test/helpers/second-generator.ts,
 * never used to choose anything) does not reach the goal; its test pins the
 * figures docs/drift.md reports, so a change that moves them shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDriftCheck } from '../../../src/drift/run-drift-check.js';
import { runDriftTimeline } from '../../../src/drift/timeline/run-drift-timeline.js';
import { DEFAULT_CALIBRATION } from '../../../src/drift/calibration/effect-pool.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import {
  alarmFigures,
  firstGeneratorScenario,
  HOUR_MS,
  loadScenario,
  type Scenario,
  secondGeneratorScenario,
} from '../../helpers/drift-alarm.js';

/** The recommended hourly settings (docs/drift.md): same hours of the week over 2 weeks, calibrated floors. */
const RECOMMENDED = { reference: 'seasonal:2w', calibration: DEFAULT_CALIBRATION } as const;

async function hourly(database: TestDatabase, scenario: Scenario, store = false) {
  const sensors = await loadScenario(database.db, scenario);
  const result = await runDriftTimeline(database.db, {
    selection: { sensorIds: sensors },
    from: new Date(scenario.startMs),
    to: new Date(scenario.endMs),
    chunkMs: HOUR_MS,
    ...RECOMMENDED,
    store,
    now: new Date(scenario.endMs),
  });
  return { sensors, result, figures: alarmFigures(scenario, result.chunks) };
}

describe('the hourly drift alarm on smx generate (3 weeks, drift in week 3)', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => database.drop());

  for (const kind of ['level', 'variance', 'ramp'] as const) {
    it(`${kind}: ≤ 1 % false alarms before, flagged within 3 h, ≥ 90 % of the checks after`, async () => {
      const { figures } = await hourly(database, await firstGeneratorScenario(kind, 11));
      const summary = JSON.stringify({ ...figures, chunks: undefined });
      assert.ok(figures.preDecided >= 150, `too few decided checks before the drift: ${summary}`);
      assert.ok(figures.falseAlarmRate <= 0.01, summary);
      assert.ok(figures.detectionHours !== null && figures.detectionHours <= 3, summary);
      assert.ok(figures.postShare >= 0.9, summary);
    });
  }

  it('the defaults (the hour before as reference) false-alarm on most normal hours: the baseline the settings beat', async () => {
    const scenario = await firstGeneratorScenario('level', 11);
    const sensors = await loadScenario(database.db, scenario);
    const result = await runDriftTimeline(database.db, {
      selection: { sensorIds: sensors },
      from: new Date(scenario.startMs),
      to: new Date(scenario.endMs),
      chunkMs: HOUR_MS,
      store: false,
      now: new Date(scenario.endMs),
    });
    assert.ok(alarmFigures(scenario, result.chunks).falseAlarmRate > 0.5);
  });

  it('stored chunks seed the next one-off check: an hour checked alone gets the timeline verdict', async () => {
    const scenario = await firstGeneratorScenario('level', 11);
    const { sensors, result } = await hourly(database, scenario, true);
    const deps = { database: async () => database.db, bus: () => Promise.reject(new Error('no bus')) };
    // The last stored hours say what the next hours should: check a few of them as one-off checks, pool from drift_checks.
    for (const chunk of result.chunks.slice(-3)) {
      await database.db.query('delete from drift_checks where window_from >= $1', [chunk.from]);
      const check = await runDriftCheck(
        {
          input: {
            kind: 'sensors',
            selection: { sensorIds: sensors },
            current: `${chunk.from.toISOString()}..${chunk.to.toISOString()}`,
            reference: RECOMMENDED.reference,
          },
          calibration: RECOMMENDED.calibration,
          store: false,
          emit: false,
          now: new Date(scenario.endMs),
          at: chunk.to,
          correlationId: 'test',
        },
        deps,
      );
      assert.equal(check.report.datasetDrift, chunk.datasetDrift, chunk.from.toISOString());
      for (const c of chunk.columns) {
        const one = check.report.columns.find((x) => x.column === c.column)!;
        assert.equal(one.drifted, c.drifted, `${chunk.from.toISOString()} ${c.column}`);
        assert.equal(one.score, c.score, `${chunk.from.toISOString()} ${c.column}`);
      }
    }
  });
});

describe('independent check: the second generator (never tuned on)', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => database.drop());

  it('ramp, seed 1: detected, and what it reaches is what docs/drift.md reports', async () => {
    const { figures } = await hourly(database, secondGeneratorScenario('ramp', 1));
    const summary = JSON.stringify({ ...figures, chunks: undefined });
    // Measured, not the goal: the false-alarm rate stays under 5 % and the ramp is flagged on most hours after it.
    assert.ok(figures.falseAlarmRate <= 0.05, summary);
    assert.ok(figures.detectionHours !== null && figures.detectionHours <= 8, summary);
    assert.ok(figures.postShare >= 0.9, summary);
  });
});

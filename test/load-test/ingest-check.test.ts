import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startHarness, testApiKey } from '../server/server-harness.js';
import { runLoadTest } from '../../src/load-test/run-load-test.js';
import { verifyIngest } from '../../src/load-test/ingest-check.js';
import { ingestReading, ingestSensorPrefix } from '../../src/load-test/scenarios.js';

const count = async (t: TestDatabase, table: string, prefix: string) =>
  (await t.db.query<{ n: number }>(`select count(*)::int as n from ${table} where sensor_id like $1`, [prefix + '%']))
    .rows[0]!.n;

describe('loadtest ingest: every acknowledged reading is in the database', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t?.drop());

  it('checks each acknowledged reading against the database, then --cleanup removes what the run wrote', async () => {
    const server = await startHarness(t.db);
    try {
      const report = await runLoadTest({
        url: server.url,
        model: 'open',
        rate: 400,
        connections: 8,
        durationMs: 600,
        scenario: 'ingest',
        apiKey: testApiKey,
        threads: 2,
        database: { db: t.db, displayUrl: 'test' },
      });
      const ingest = report.ingest!;
      assert.match(ingest.sensorPrefix, /^loadtest-[0-9a-f]{8}-$/);
      assert.ok(report.ok > 150, JSON.stringify(report.statuses));
      assert.equal(ingest.acknowledged, report.statuses['202']);
      assert.deepEqual(
        { ...ingest.verification, database: undefined },
        {
          sensorPrefix: ingest.sensorPrefix,
          database: undefined,
          acknowledged: ingest.acknowledged,
          found: ingest.acknowledged,
          missing: 0,
          storedUnacknowledged: 0,
          ok: true,
        },
      );
      assert.ok(report.passed, report.failures.join('; '));
      assert.equal(await count(t, 'sensor_readings', ingest.sensorPrefix), report.ok);
      // Both threads wrote, each to its own sensors.
      assert.equal((await count(t, 'sensor_readings', `${ingest.sensorPrefix}1-`)) > 0, true);

      const cleaned = await runLoadTest({
        url: server.url,
        model: 'closed',
        connections: 4,
        durationMs: 300,
        scenario: 'ingest',
        apiKey: testApiKey,
        database: { db: t.db, displayUrl: 'test' },
        cleanup: true,
      });
      const prefix = cleaned.ingest!.sensorPrefix;
      assert.ok(cleaned.ingest!.verification!.ok);
      assert.equal(cleaned.ingest!.cleanup!.readings, cleaned.ok);
      assert.ok(cleaned.ingest!.cleanup!.hourlyRows > 0);
      assert.equal(await count(t, 'sensor_readings', prefix), 0);
      assert.equal(await count(t, 'sensor_readings_hourly', prefix), 0);
      assert.equal(await count(t, 'sensors', prefix), 0);
      // The first run's readings are another run's: untouched.
      assert.equal(await count(t, 'sensor_readings', ingest.sensorPrefix), report.ok);
    } finally {
      await server.close();
    }
  });

  it('fails the run when a server acknowledges readings it did not store (k6 and wrk would count them as ok)', async () => {
    // A server that answers 202 for every reading but drops every 7th row from its flush.
    let seen = 0;
    const server = await startHarness(t.db, {
      wrapFlush: (flush) => async (rows) => {
        const kept = rows.filter(() => ++seen % 7 !== 0);
        await flush(kept);
        return rows.map(() => true);
      },
    });
    try {
      const report = await runLoadTest({
        url: server.url,
        model: 'closed',
        connections: 4,
        durationMs: 400,
        scenario: 'ingest',
        apiKey: testApiKey,
        database: { db: t.db, displayUrl: 'the test database' },
      });
      const v = report.ingest!.verification!;
      assert.equal(report.errors, 0, 'every request was answered 202');
      assert.equal(v.ok, false);
      assert.equal(v.missing, Math.floor(seen / 7));
      assert.equal(v.found + v.missing, v.acknowledged);
      assert.equal(report.passed, false);
      assert.match(
        report.failures.join('\n'),
        /acknowledged readings \(loadtest-[0-9a-f]+-\*\) are not in the test database/,
      );
    } finally {
      await server.close();
    }
  });

  it('is exact, not a count: a missing acknowledged reading is not hidden by a stored unacknowledged one', async () => {
    const run = { runId: 'c0ffee01', startMs: Date.parse('2026-03-02T00:00:00Z') };
    await t.db.query('select smx_ensure_partitions($1, $2)', [new Date(run.startMs), new Date(run.startMs + 1000)]);
    const insert = async (ns: number[]) => {
      for (const n of ns) {
        const r = ingestReading(run, 0, n);
        await t.db.query(`insert into sensor_readings (sensor_id, ts, value) values ($1, $2, 1)`, [
          r.sensorId,
          new Date(r.timestampMs),
        ]);
      }
    };
    // 12 sent; 0–9 acknowledged; 4 is lost; 11 stored though its answer never came.
    await insert([0, 1, 2, 3, 5, 6, 7, 8, 9, 11]);
    const acknowledged = new Uint8Array(2);
    for (let n = 0; n < 10; n++) acknowledged[n >> 3]! |= 1 << (n & 7);
    const fewAcked = await verifyIngest(t.db, run, [{ thread: 0, sent: 12, acknowledged }], 'db');
    assert.deepEqual(
      [fewAcked.acknowledged, fewAcked.found, fewAcked.missing, fewAcked.storedUnacknowledged, fewAcked.ok],
      [10, 9, 1, 1, false],
    );
    // The same with more requests unacknowledged than acknowledged (the other lookup).
    const manyUnacked = await verifyIngest(t.db, run, [{ thread: 0, sent: 30, acknowledged }], 'db');
    assert.deepEqual([manyUnacked.found, manyUnacked.missing, manyUnacked.storedUnacknowledged], [9, 1, 1]);
    assert.equal(fewAcked.sensorPrefix, ingestSensorPrefix('c0ffee01'));
  });
});

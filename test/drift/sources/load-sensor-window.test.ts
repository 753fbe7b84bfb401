import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadSensorWindow, resolveSensors } from '../../../src/drift/sources/load-sensor-window.js';
import { parseTimeRange } from '../../../src/drift/sources/window-range.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { seedReadings } from '../seed-readings.js';

const now = new Date('2026-01-10T00:00:00Z');
const range = (text: string) => parseTimeRange(text, now);

describe('loadSensorWindow (Postgres, binary COPY)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    await seedReadings(database.db, 'pump-1', '2026-01-01T00:00:00Z', 7200); // 2 h, one per second
    await seedReadings(database.db, 'pump-2', '2026-01-01T00:00:00Z', 3600, { stepMs: 2000, shift: 10 });
    await seedReadings(database.db, "o'brien", '2026-01-01T00:00:00Z', 10, { shift: 5 });
    await database.db.query(
      `insert into sensors (sensor_id, sensor_type) values ('pump-1', 'pump'), ('pump-2', 'pump'), ('fan-1', 'fan')`,
    );
  });
  after(async () => {
    await database.drop();
  });

  it('returns every value of the window, one Float64Array per sensor, half-open at the end', async () => {
    const window = await loadSensorWindow(database.db, {
      sensorIds: ['pump-1', 'pump-2'],
      range: range('2026-01-01T00:00Z..2026-01-01T01:00Z'),
    });
    const expected = await database.db.query<{ value: number }>(
      `select value from sensor_readings where sensor_id = 'pump-1' and ts >= '2026-01-01T00:00Z' and ts < '2026-01-01T01:00Z' order by value`,
    );
    const pump1 = window.columns.get('pump-1')!;
    assert.equal(pump1.kind, 'numeric');
    assert.ok(pump1.values instanceof Float64Array);
    assert.deepEqual(
      Array.from(pump1.values).sort((a, b) => a - b),
      expected.rows.map((r) => r.value),
    );
    assert.equal(pump1.values.length, 3600, 'the reading at 01:00:00 belongs to the next window');
    assert.equal(window.columns.get('pump-2')!.values.length, 1800);
    assert.deepEqual(
      window.sensors.map((s) => [s.sensorId, s.rows, s.sampled]),
      [
        ['pump-1', 3600, false],
        ['pump-2', 1800, false],
      ],
    );
    assert.equal(window.totalRows, 3600);
  });

  it('quotes sensor ids safely and gives an empty column for a sensor without readings', async () => {
    const window = await loadSensorWindow(database.db, {
      sensorIds: ["o'brien", 'nobody'],
      range: range('2026-01-01..2026-01-02'),
    });
    assert.equal(window.columns.get("o'brien")!.values.length, 10);
    assert.equal(window.columns.get('nobody')!.values.length, 0);
  });

  it('samples with a seeded reservoir while streaming: same seed, same sample; and says so', async () => {
    const options = { sensorIds: ['pump-1'], range: range('2026-01-01..2026-01-02'), sample: { size: 500, seed: 7 } };
    const a = await loadSensorWindow(database.db, options);
    const b = await loadSensorWindow(database.db, options);
    const c = await loadSensorWindow(database.db, { ...options, sample: { size: 500, seed: 8 } });
    assert.equal(a.columns.get('pump-1')!.values.length, 500);
    assert.deepEqual(a.columns.get('pump-1')!.values, b.columns.get('pump-1')!.values);
    assert.notDeepEqual(a.columns.get('pump-1')!.values, c.columns.get('pump-1')!.values);
    assert.deepEqual(a.sensors, [{ sensorId: 'pump-1', rows: 7200, kept: 500, sampled: true }]);
    assert.equal(a.sampled, true);
    assert.equal(a.totalRows, 7200);
  });

  it('reads hourly averages from sensor_hourly', async () => {
    const window = await loadSensorWindow(database.db, {
      sensorIds: ['pump-1'],
      range: range('2026-01-01..2026-01-02'),
      source: 'hourly',
    });
    const expected = await database.db.query<{ avg: number }>(
      `select avg from sensor_hourly where sensor_id = 'pump-1' order by bucket`,
    );
    assert.deepEqual(
      Array.from(window.columns.get('pump-1')!.values as Float64Array),
      expected.rows.map((r) => r.avg),
    );
    assert.equal(expected.rows.length, 2);
  });

  it('resolves sensors by type, and refuses both or neither', async () => {
    assert.deepEqual(await resolveSensors(database.db, { sensorType: 'pump' }), ['pump-1', 'pump-2']);
    assert.deepEqual(await resolveSensors(database.db, { sensorIds: ['b', 'a', 'b'] }), ['b', 'a']);
    await assert.rejects(resolveSensors(database.db, { sensorType: 'boiler' }), /No sensors of type "boiler"/);
    await assert.rejects(resolveSensors(database.db, { sensorIds: ['a'], sensorType: 'pump' }), /not both/);
    await assert.rejects(resolveSensors(database.db, {}), /--sensor/);
  });
});

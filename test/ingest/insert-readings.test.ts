import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { insertReadings } from '../../src/ingest/insert-readings.js';
import type { Reading } from '../../src/ingest/reading.js';
import { newWriterMemory } from '../../src/ingest/write-readings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { hourlyMismatches } from '../helpers/hourly-mismatches.js';

/**
 * The small-batch insert tries a plain INSERT first and falls back to ON
 * CONFLICT when the batch meets a stored key; these tests pin that choice.
 */
describe('insertReadings: the plain insert and its ON CONFLICT fallback', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => {
    await t?.drop();
  });

  const base = Date.UTC(2025, 0, 7, 10);
  const reading = (sensorId: string, second: number, value = second): Reading => ({
    sensorId,
    ts: base + second * 1000,
    value,
  });
  const count = async () =>
    (await t.db.query<{ n: number }>('select count(*)::int as n from sensor_readings')).rows[0]!.n;

  it('a batch meeting a stored key stores only the new rows, says which, and later batches skip the plain attempt for a while', async () => {
    const memory = newWriterMemory();
    assert.deepEqual(await insertReadings(t.db, [reading('i-a', 0), reading('i-a', 1)], memory), [true, true]);
    assert.equal(memory.conflictCooldown, 0);
    // i-a@1 is stored: the plain INSERT fails as a whole, the fallback stores i-a@2 and i-b@0.
    assert.deepEqual(
      await insertReadings(t.db, [reading('i-a', 1, 42), reading('i-a', 2), reading('i-b', 0)], memory),
      [false, true, true],
    );
    assert.ok(memory.conflictCooldown > 0);
    const cooldown = memory.conflictCooldown;
    assert.deepEqual(await insertReadings(t.db, [reading('i-b', 1)], memory), [true]);
    assert.equal(memory.conflictCooldown, cooldown - 1);
    assert.equal(await count(), 5);
    const kept = await t.db.query<{ value: number }>(
      `select value from sensor_readings where sensor_id = 'i-a' and ts = $1`,
      [new Date(base + 1000)],
    );
    assert.deepEqual(kept.rows, [{ value: 1 }]);
    assert.deepEqual(await hourlyMismatches(t.db), []);
  });

  it('a batch repeating a key goes straight to ON CONFLICT (the first of the key counts)', async () => {
    const memory = newWriterMemory();
    assert.deepEqual(await insertReadings(t.db, [reading('i-c', 0), reading('i-c', 0, 9)], memory), [true, false]);
    assert.equal(memory.conflictCooldown, 0);
    assert.deepEqual(await hourlyMismatches(t.db), []);
  });

  it('errors other than a stored key are not swallowed by the fallback', async () => {
    const memory = newWriterMemory();
    await assert.rejects(insertReadings(t.db, [{ ...reading('i-d', 0), quality: 2 }], memory), /quality_check/);
    assert.equal(memory.conflictCooldown, 0);
    assert.equal((await t.db.query(`select 1 from sensor_readings where sensor_id = 'i-d'`)).rowCount, 0);
  });
});

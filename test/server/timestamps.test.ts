import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { call, startHarness, withKey, type Harness } from './server-harness.js';

/** Issue 16, item 2: microseconds are kept, and readings without a timestamp never collapse into one. */
describe('smx serve: timestamps', () => {
  let t: TestDatabase;
  let h: Harness;
  before(async () => {
    t = await createTestDatabase();
    h = await startHarness(t.db, { limits: { bodyLimitBytes: 1 << 20 } });
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });
  const post = (body: unknown) =>
    call(h.url, '/api/v1/data/ingest', { headers: withKey(), body: JSON.stringify(body) });
  const stored = async (sensor: string) =>
    (
      await t.db.query<{ us: string; value: number }>(
        `select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as us, value
         from sensor_readings where sensor_id = $1 order by ts`,
        [sensor],
      )
    ).rows;

  it('keeps microseconds: two readings 1 µs apart are two rows', async () => {
    const a = await post([
      { sensor_id: 'us-1', value: 1, timestamp: '2026-05-01T12:00:00.000001Z' },
      { sensor_id: 'us-1', value: 2, timestamp: '2026-05-01T12:00:00.000002Z' },
    ]);
    assert.equal(a.status, 202, a.text);
    assert.equal(a.body.accepted, 2);
    assert.equal(a.body.duplicates, 0);
    assert.deepEqual(await stored('us-1'), [
      { us: '2026-05-01T12:00:00.000001', value: 1 },
      { us: '2026-05-01T12:00:00.000002', value: 2 },
    ]);
  });

  it('keeps microseconds on the COPY path (a request of 1,000 readings and more)', async () => {
    const readings = Array.from({ length: 1200 }, (_, i) => ({
      sensor_id: 'us-big',
      value: i,
      timestamp: `2026-05-01T12:00:00.${String(i).padStart(6, '0')}Z`,
    }));
    const a = await post(readings);
    assert.equal(a.status, 202, a.text);
    assert.equal(a.body.accepted, 1200);
    // Sent again: every one is a duplicate (the COPY path's attribution compares microseconds too).
    const again = await post(readings);
    assert.equal(again.body.accepted, 0);
    assert.equal(again.body.duplicates, 1200);
    assert.equal((await stored('us-big')).length, 1200);
  });

  it('readings without a timestamp get distinct receive times, in one request and across requests', async () => {
    const a = await post([
      { sensor_id: 'nots', value: 1 },
      { sensor_id: 'nots', value: 2 },
      { sensor_id: 'nots', value: 3 },
    ]);
    assert.equal(a.status, 202, a.text);
    assert.equal(a.body.accepted, 3);
    assert.equal(a.body.duplicates, 0);
    const answers = await Promise.all([1, 2, 3, 4].map((v) => post({ sensor_id: 'nots', value: 10 + v })));
    for (const answer of answers) assert.equal(answer.body.accepted, 1, answer.text);
    const rows = await stored('nots');
    assert.equal(rows.length, 7);
    assert.equal(new Set(rows.map((r) => r.us)).size, 7);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { call, countReadings, startHarness, withKey, type Answer, type Harness } from './server-harness.js';

/**
 * Issue 16, item 1: one request's readings must not fail the requests grouped
 * with it in a group commit. Each round sends 40 good requests and one poison
 * at the same moment over real HTTP; the poison alone is refused with its
 * reason, every good request gets its 202 and its row.
 */
const at = '2026-05-02T00:00:00Z';
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const poisons: Array<{ name: string; body: string; reason: RegExp }> = [
  {
    name: 'NUL in metadata',
    body: `{"sensor_id":"p","value":1,"timestamp":"${at}","metadata":{"k":"\\u0000"}}`,
    reason: /NUL/,
  },
  {
    name: 'an unpaired surrogate in metadata',
    body: `{"sensor_id":"p","value":1,"timestamp":"${at}","metadata":{"k":"\\ud800"}}`,
    reason: /surrogate/,
  },
  {
    name: 'metadata nested 5,000 deep',
    body: `{"sensor_id":"p","value":1,"timestamp":"${at}","metadata":${nested(5000)}}`,
    reason: /nested deeper/,
  },
  {
    name: 'two 1e308 readings in one sensor-hour',
    body: `[{"sensor_id":"ov","value":1e308,"timestamp":"${at}"},{"sensor_id":"ov","value":1e308,"timestamp":"2026-05-02T00:00:01Z"}]`,
    reason: /magnitude limit/,
  },
];

describe('smx serve: a poison request fails alone (group commit isolation)', () => {
  let t: TestDatabase;
  let h: Harness;
  let booms = 0;
  before(async () => {
    t = await createTestDatabase({ poolSize: 4 });
    // A few ms of gathering, so the 41 requests of a round share flushes.
    h = await startHarness(t.db, {
      limits: { batchMaxDelayMs: 5 },
      // Stands for a value PostgreSQL refuses that validation did not foresee (SQLSTATE 22P02).
      wrapFlush: (flush) => async (rows) => {
        if (rows.some((r) => r.sensorId === 'boom')) {
          booms += 1;
          throw Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
        }
        return flush(rows);
      },
    });
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  async function round(prefix: string, poison: string): Promise<{ good: Answer[]; bad: Answer }> {
    const goods = Array.from({ length: 40 }, (_, i) =>
      call(h.url, '/api/v1/data/ingest', {
        headers: withKey(),
        body: JSON.stringify({ sensor_id: `${prefix}${i}`, value: i, timestamp: at }),
      }),
    );
    const bad = call(h.url, '/api/v1/data/ingest', { headers: withKey(), body: poison });
    const [good, answer] = await Promise.all([Promise.all(goods), bad]);
    return { good, bad: answer };
  }

  for (const [k, poison] of poisons.entries()) {
    it(`${poison.name}: 422 with the reason for it, 202 and a stored row for each of the 40 others`, async () => {
      for (let r = 0; r < 3; r++) {
        const prefix = `good-${k}-${r}-`;
        const { good, bad } = await round(prefix, poison.body);
        assert.ok(bad.status === 400 || bad.status === 422, `poison answered ${bad.status} ${bad.text}`);
        assert.match(bad.text, poison.reason);
        const statuses = good.map((a) => a.status);
        assert.deepEqual(
          statuses.filter((s) => s !== 202),
          [],
          `good requests answered ${statuses.join(',')}`,
        );
        for (const a of good) assert.equal(a.body.accepted, 1);
        assert.equal((await countReadings(t.db, prefix)).total, 40);
      }
    });
  }

  it('a value the database refuses despite validation: its request is isolated (422), the others are stored', async () => {
    for (let r = 0; r < 3; r++) {
      const prefix = `iso-${r}-`;
      const before = booms;
      const { good, bad } = await round(
        prefix,
        JSON.stringify([
          { sensor_id: 'boom', value: 1, timestamp: at },
          { sensor_id: `${prefix}boom-neighbour`, value: 1, timestamp: at },
        ]),
      );
      assert.equal(bad.status, 422, bad.text);
      assert.equal(bad.body.error, 'readings_refused');
      assert.match(String(bad.body.message), /invalid input syntax for type json/);
      assert.deepEqual(
        good.map((a) => a.status).filter((s) => s !== 202),
        [],
      );
      assert.equal((await countReadings(t.db, prefix)).total, 40, 'nothing of the refused request was stored');
      assert.ok(booms > before);
    }
    // The isolating flushes are counted as flush failures.
    const metrics = await call(h.url, '/metrics');
    assert.match(metrics.text, /smx_ingest_flush_failures_total [1-9]/);
  });

  it('a quality too small for a real (1e-46) is stored as 0 and fails nobody', async () => {
    const { good, bad } = await round(
      'tiny-q-',
      `{"sensor_id":"tiny-q-x","value":1,"quality":1e-46,"timestamp":"${at}"}`,
    );
    assert.equal(bad.status, 202, bad.text);
    assert.deepEqual(
      good.map((a) => a.status).filter((s) => s !== 202),
      [],
    );
    const { rows } = await t.db.query<{ quality: number }>(
      "select quality from sensor_readings where sensor_id = 'tiny-q-x'",
    );
    assert.deepEqual(rows, [{ quality: 0 }]);
  });

  it('a hidden sensor id (trailing no-break space, bidi override) is refused with the reason', async () => {
    for (const id of ['pump-7\u00a0', 'pump-\u202e7']) {
      const a = await call(h.url, '/api/v1/data/ingest', {
        headers: withKey(),
        body: JSON.stringify({ sensor_id: id, value: 1, timestamp: at }),
      });
      assert.equal(a.status, 422, a.text);
      assert.match(a.text, /sensor_id/);
    }
  });
});

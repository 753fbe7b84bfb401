import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startLoad } from './load-client.js';
import { countReadings, startHarness, type Harness } from './server-harness.js';

describe('smx serve: graceful shutdown under load', () => {
  let t: TestDatabase;
  let h: Harness;
  before(async () => {
    t = await createTestDatabase();
    // Slow flushes, so requests are in flight and rows are waiting in the batch when the stop comes.
    h = await startHarness(t.db, {
      wrapFlush: (flush) => async (rows) => {
        await new Promise((r) => setTimeout(r, 80));
        return flush(rows);
      },
    });
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  it('answers the requests in flight, flushes the pending batch, and loses nothing acknowledged', async () => {
    const load = startLoad(h.url, { workers: 16, sensorPrefix: 'gs-' });
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(h.app.inFlight > 0, 'requests are in flight when the shutdown starts');
    await h.app.shutdown({ timeoutMs: 5000 });
    assert.equal(h.app.batcher.pending.rows, 0);
    assert.equal(h.app.batcher.pending.flushes, 0);
    await load.stop();
    assert.ok(load.acknowledged.length > 0);
    // Every acknowledged reading is in the table, once.
    const { rows } = await t.db.query<{ missing: number }>(
      `select count(*)::int as missing from unnest($1::text[], $2::bigint[]) a(s, ms)
       where not exists (select 1 from sensor_readings r where r.sensor_id = a.s and r.ts = to_timestamp(a.ms / 1000.0))`,
      [load.acknowledged.map((a) => a.sensorId), load.acknowledged.map((a) => a.ts)],
    );
    assert.equal(rows[0]!.missing, 0);
    const stored = await countReadings(t.db, 'gs-');
    assert.equal(stored.total, stored.distinct);
    assert.equal(
      stored.total,
      load.acknowledged.length,
      'nothing was stored without being acknowledged, nor acknowledged without being stored',
    );
    // After the stop the server refuses connections: the load saw answers only before it.
    assert.ok((load.statuses.get('202') ?? 0) >= load.acknowledged.length);
    for (const status of load.statuses.keys()) assert.ok(['202', '503', 'no answer'].includes(status), status);
  });
});

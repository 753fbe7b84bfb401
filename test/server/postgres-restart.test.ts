import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import pg from 'pg';
import type { Db } from '../../src/db/db.js';
import { createDb, createPool } from '../../src/db/postgres-db.js';
import { startEmbeddedPostgres, stopEmbeddedPostgres, embeddedUrl } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrate.js';
import { tempDir } from '../helpers/database.js';
import { startLoad } from './load-client.js';
import { call, startHarness, type Harness } from './server-harness.js';

/**
 * PostgreSQL stops and starts again while the server is under load. Uses its
 * own embedded PostgreSQL in a temporary state dir (never the shared server).
 */
describe('smx serve: PostgreSQL restarted under load', () => {
  const stateDir = tempDir('smx-serve-restart-');
  let port = 0;
  let db: Db;
  let h: Harness;
  before(async () => {
    const handle = await startEmbeddedPostgres({ stateDir, mode: 'command' });
    port = handle.port;
    const admin = new pg.Client({ connectionString: handle.url });
    await admin.connect();
    await admin.query('create database smx_restart');
    await admin.end();
    db = createDb(createPool(embeddedUrl(port, 'smx_restart'), { max: 4 }));
    await migrate(db);
    h = await startHarness(db);
  });
  after(async () => {
    await h?.close();
    await db?.close();
    await stopEmbeddedPostgres(stateDir).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while it is down, recovers by itself, and keeps every acknowledged row', async () => {
    const load = startLoad(h.url, { workers: 6, sensorPrefix: 'pr-', pauseMs: 5 });
    await new Promise((r) => setTimeout(r, 400));
    await stopEmbeddedPostgres(stateDir);

    // Down: the ingest route and readiness say 503 with Retry-After; liveness stays 200.
    const down = await call(h.url, '/api/v1/data/ingest', {
      headers: { 'x-api-key': 'test-env-key-0123456789abcdef' },
      body: JSON.stringify({ sensor_id: 'pr-x', value: 1 }),
    });
    assert.equal(down.status, 503);
    assert.ok(Number(down.headers.get('retry-after')) >= 1);
    assert.doesNotMatch(down.text, /ECONNREFUSED|terminat|127\.0\.0\.1/);
    const ready = await call(h.url, '/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.database, 'failed');
    assert.equal((await call(h.url, '/health')).status, 200);
    await new Promise((r) => setTimeout(r, 300));

    await startEmbeddedPostgres({ stateDir, port, mode: 'command' });
    // Back: without any restart of the server, requests succeed again.
    const acknowledgedBefore = load.acknowledged.length;
    for (let i = 0; i < 100 && load.acknowledged.length < acknowledgedBefore + 50; i++)
      await new Promise((r) => setTimeout(r, 50));
    await load.stop();
    assert.ok(load.acknowledged.length >= acknowledgedBefore + 50, 'the server recovered by itself');
    assert.ok((load.statuses.get('503') ?? 0) > 0, 'the load saw the outage as 503s');
    assert.equal((await call(h.url, '/health/ready')).status, 200);

    const { rows } = await db.query<{ missing: number; total: number; distinct: number }>(
      `select (select count(*)::int from unnest($1::text[], $2::bigint[]) a(s, ms)
                where not exists (select 1 from sensor_readings r where r.sensor_id = a.s and r.ts = to_timestamp(a.ms / 1000.0))) as missing,
              count(*)::int as total, count(distinct (sensor_id, ts))::int as distinct
       from sensor_readings where sensor_id like 'pr-%'`,
      [load.acknowledged.map((a) => a.sensorId), load.acknowledged.map((a) => a.ts)],
    );
    assert.equal(rows[0]!.missing, 0);
    assert.equal(rows[0]!.total, rows[0]!.distinct);
  });
});

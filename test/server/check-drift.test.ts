import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { call, startHarness, withKey, type Harness } from './server-harness.js';

describe('smx serve: POST /api/v1/ml/check_drift', () => {
  let t: TestDatabase;
  let h: Harness;
  const now = Date.UTC(2026, 4, 1, 12, 0, 0);
  before(async () => {
    t = await createTestDatabase();
    h = await startHarness(t.db, { now: () => now });
    await t.db.query('select smx_ensure_partitions($1, $2)', [new Date(now - 86_400_000), new Date(now)]);
    // Reference window [now-2h, now-1h): values 0..99; current [now-1h, now): values shifted by 50 for 'shifted', equal for 'steady'.
    const rows: Array<[string, Date, number]> = [];
    for (let i = 0; i < 100; i++) {
      const refTs = new Date(now - 2 * 3_600_000 + i * 30_000);
      const curTs = new Date(now - 3_600_000 + i * 30_000);
      rows.push(
        ['shifted', refTs, i],
        ['shifted', curTs, i + 50],
        ['steady', refTs, i],
        ['steady', curTs, (i * 37) % 100],
      );
    }
    // Boundary instants: exactly now-1h belongs to the current window only; exactly now to neither.
    rows.push(
      ['edges', new Date(now - 3_600_000), 1],
      ['edges', new Date(now), 2],
      ['edges', new Date(now - 2 * 3_600_000), 3],
    );
    await t.db.query('insert into sensors (sensor_id) select distinct unnest($1::text[])', [rows.map((r) => r[0])]);
    await t.db.query(
      'insert into sensor_readings (sensor_id, ts, value) select * from unnest($1::text[], $2::timestamptz[], $3::float8[])',
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  const drift = (body: Record<string, unknown>) =>
    call(h.url, '/api/v1/ml/check_drift', { headers: withKey(), body: JSON.stringify(body) });

  it('detects a shifted window with the seed response fields plus the extra statistics', async () => {
    const answer = await drift({ sensor_id: 'shifted', window_minutes: 60 });
    assert.equal(answer.status, 200);
    const b = answer.body;
    for (const field of [
      'sensor_id',
      'recent_count',
      'baseline_count',
      'window_minutes',
      'ks_statistic',
      'p_value',
      'p_value_threshold',
      'drift_detected',
      'insufficient_data',
      'request_id',
      'evaluated_at',
      'notes',
    ]) {
      assert.ok(field in b, field);
    }
    assert.deepEqual([b.recent_count, b.baseline_count], [100, 100]); // every reading, no 150 cap, no overlap
    assert.equal(b.ks_statistic, 0.5);
    assert.ok(Number(b.p_value) < 1e-5);
    assert.equal(b.drift_detected, true);
    assert.equal(b.insufficient_data, false);
    const stats = b.statistics as Record<string, unknown>;
    assert.ok(Number(stats.psi) > 0.25);
    assert.ok(Math.abs(Number(stats.wasserstein) - 50) < 1e-9);
    assert.equal(b.evaluated_at, new Date(now).toISOString());
  });

  it('finds no drift between two windows of the same values', async () => {
    const answer = await drift({ sensor_id: 'steady', p_value_threshold: 0.01 });
    assert.equal(answer.body.ks_statistic, 0);
    assert.equal(answer.body.p_value, 1);
    assert.equal(answer.body.drift_detected, false);
    assert.equal(answer.body.p_value_threshold, 0.01);
  });

  it('uses half-open windows: [now-2W, now-W) and [now-W, now)', async () => {
    const answer = await drift({ sensor_id: 'edges', min_samples: 2 });
    assert.deepEqual([answer.body.baseline_count, answer.body.recent_count], [1, 1]);
    assert.equal(answer.body.insufficient_data, true);
    assert.equal(answer.body.ks_statistic, null);
    assert.match(String(answer.body.notes), /insufficient data/);
  });

  it('rejects bad fields with 400 and the reason', async () => {
    for (const body of [
      {},
      { sensor_id: '' },
      { sensor_id: 'x', p_value_threshold: 2 },
      { sensor_id: 'x', min_samples: 1.5 },
    ]) {
      const answer = await drift(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error, 'bad_request');
    }
  });
});

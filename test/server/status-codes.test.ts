import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createApiKey, revokeApiKey } from '../../src/api-keys/api-key-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { call, startHarness, withKey, type Harness } from './server-harness.js';

/** Every status code the server answers with, and what each response must (not) contain. */
describe('smx serve: status codes', () => {
  let t: TestDatabase;
  let h: Harness;
  before(async () => {
    t = await createTestDatabase();
    h = await startHarness(t.db, { timeouts: { headersMs: 500, requestMs: 1000 } });
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  const reading = (i: number) => ({
    sensor_id: 'codes-1',
    value: i,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  });

  it('200 /health and /health/ready in the seed shape, without a key', async () => {
    const live = await call(h.url, '/health');
    assert.equal(live.status, 200);
    assert.equal(live.body.status, 'ok');
    const ready = await call(h.url, '/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(
      { status: ready.body.status, database: ready.body.database, redis: ready.body.redis },
      { status: 'ok', database: 'ok', redis: 'not_configured' },
    );
    assert.ok(typeof ready.body.timestamp === 'string');
  });

  it('202 with counts of accepted, duplicate and rejected readings and the reasons', async () => {
    const body = JSON.stringify([reading(1), reading(2), { sensor_id: 'codes-1', value: 'NaN?' }, reading(1)]);
    const answer = await call(h.url, '/api/v1/data/ingest', { headers: withKey(), body });
    assert.equal(answer.status, 202);
    assert.equal(answer.body.accepted, 2);
    assert.equal(answer.body.duplicates, 1);
    assert.equal(answer.body.rejected, 1);
    assert.deepEqual(
      (answer.body.rejections as Array<{ index: number; field: string }>).map((r) => [r.index, r.field]),
      [[2, 'value']],
    );
    const again = await call(h.url, '/api/v1/data/ingest', { headers: withKey(), body: JSON.stringify(reading(2)) });
    assert.equal(again.status, 202);
    assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 1]);
  });

  it('202 for NDJSON bodies, by content type or by sniffing', async () => {
    const ndjson = [reading(10), reading(11), reading(12)].map((r) => JSON.stringify(r)).join('\n') + '\n';
    const typed = await call(h.url, '/api/v1/data/ingest', {
      headers: withKey({ 'content-type': 'application/x-ndjson' }),
      body: ndjson,
    });
    assert.equal(typed.status, 202);
    assert.equal(typed.body.accepted, 3);
    const sniffed = await call(h.url, '/api/v1/data/ingest', {
      headers: withKey({ 'content-type': 'text/plain' }),
      body: ndjson.replace(/12/g, '13'),
    });
    assert.equal(sniffed.status, 202);
  });

  it('400 with the reason for bad JSON, never a stack trace', async () => {
    const answer = await call(h.url, '/api/v1/data/ingest', {
      headers: withKey(),
      body: '{"sensor_id": "x", "value": ',
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'bad_request');
    assert.match(String(answer.body.message), /not valid JSON/);
    assert.doesNotMatch(answer.text, /at .*\.js:\d+|node:internal|select |insert /i);
    const drift = await call(h.url, '/api/v1/ml/check_drift', {
      headers: withKey(),
      body: JSON.stringify({ sensor_id: 'x', window_minutes: 5000 }),
    });
    assert.equal(drift.status, 400);
    assert.match(String(drift.body.message), /window_minutes/);
  });

  it('401 for a missing or wrong key, 403 for a revoked one; stored keys work', async () => {
    const body = JSON.stringify(reading(20));
    assert.equal(
      (await call(h.url, '/api/v1/data/ingest', { headers: { 'content-type': 'application/json' }, body })).status,
      401,
    );
    assert.equal(
      (await call(h.url, '/api/v1/data/ingest', { headers: withKey({}, 'wrong-key-wrong-key'), body })).status,
      401,
    );
    const created = await createApiKey(t.db, 'status-codes');
    const wrongSecret = created.key.slice(0, -4) + (created.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.equal((await call(h.url, '/api/v1/data/ingest', { headers: withKey({}, wrongSecret), body })).status, 401);
    assert.equal((await call(h.url, '/api/v1/data/ingest', { headers: withKey({}, created.key), body })).status, 202);
    await revokeApiKey(t.db, created.prefix);
    const revoked = await call(h.url, '/api/v1/data/ingest', { headers: withKey({}, created.key), body });
    assert.equal(revoked.status, 403);
    assert.match(String(revoked.body.message), /revoked/);
  });

  it('404 for unknown routes, 405 with Allow for a wrong method', async () => {
    assert.equal((await call(h.url, '/api/v1/nothing')).status, 404);
    const wrong = await call(h.url, '/api/v1/data/ingest', { method: 'GET', headers: withKey() });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
  });

  it('413 for a body over the limit, declared or chunked', async () => {
    const big = JSON.stringify(Array.from({ length: 3000 }, (_, i) => reading(i)));
    assert.ok(big.length > 64 * 1024);
    const declared = await call(h.url, '/api/v1/data/ingest', { headers: withKey(), body: big });
    assert.equal(declared.status, 413);
    const chunked = await fetch(h.url + '/api/v1/data/ingest', {
      method: 'POST',
      headers: withKey(),
      duplex: 'half',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
    });
    assert.equal(chunked.status, 413);
  });

  it('422 when no reading is valid', async () => {
    const answer = await call(h.url, '/api/v1/data/ingest', {
      headers: withKey(),
      body: JSON.stringify([{ value: 1 }, { sensor_id: 'a', value: 1, quality: 7 }]),
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.rejected, 2);
    assert.equal((answer.body.rejections as unknown[]).length, 2);
  });

  it('X-Request-ID is echoed when given and generated otherwise', async () => {
    const given = await call(h.url, '/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
    const generated = await call(h.url, '/api/v1/data/ingest', { headers: withKey(), body: 'nope' });
    const id = generated.headers.get('x-request-id');
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(generated.body.request_id, id);
    const hostile = await call(h.url, '/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.notEqual(hostile.headers.get('x-request-id'), 'bad id with spaces');
  });

  it('a client that never finishes its headers is cut off (slowloris)', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(new URL(h.url).port), '127.0.0.1', () =>
        socket.write('POST /api/v1/data/ingest HTTP/1.1\r\nHost: x\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    // Node answers 408 (or just closes); either way the connection does not stay open.
    assert.ok(answer === '' || answer.startsWith('HTTP/1.1 408'), answer);
  });

  it('/metrics is Prometheus text with requests by route and status, batches and pool', async () => {
    const metrics = await call(h.url, '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(
      metrics.text,
      /smx_http_requests_total\{route="\/api\/v1\/data\/ingest",method="POST",status="202"\} \d+/,
    );
    assert.match(
      metrics.text,
      /smx_http_request_duration_seconds_bucket\{route="\/health",method="GET",status="200",le="\+Inf"\} \d+/,
    );
    assert.match(metrics.text, /smx_ingest_rows_total\{outcome="accepted"\} \d+/);
    assert.match(metrics.text, /smx_ingest_batch_rows_count \d+/);
    assert.match(metrics.text, /smx_db_pool_connections\{state="total"\} \d+/);
    assert.match(metrics.text, /smx_event_loop_lag_seconds\{quantile="0.99"\} [\d.e-]+/);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { smxBin } from '../helpers/cli.js';
import { call, withKey } from './server-harness.js';

/**
 * Issue 16, item 3, against `smx serve` as a process: with Redis configured
 * but down (a closed port, or a Redis this test starts and stops on a port of
 * its own; never the shared one), rate limits and idempotency keys fall back
 * at once, and Redis is used again when it returns.
 */
const apiKey = 'redis-fallback-test-key-0123456789';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

async function serve(databaseUrl: string, redisUrl: string, prefix: string) {
  const child = spawn(process.execPath, [smxBin, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      CI: '',
      SMX_DATABASE_URL: databaseUrl,
      SMX_REDIS_URL: redisUrl,
      SMX_REDIS_PREFIX: prefix,
      SMX_API_KEY: apiKey,
      SMX_LOG_LEVEL: 'info', // the "smx serve listening" log line carries the url
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`smx serve exited ${code}: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

const fallbacks = async (url: string) => {
  const text = (await call(url, '/metrics')).text;
  const read = (reason: string) =>
    Number(new RegExp(`smx_redis_fallbacks_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
  return { skipped: read('skipped'), failed: read('failed') };
};

describe('smx serve with Redis down: rate limits and idempotency fall back at once, and recover', () => {
  let t: TestDatabase;
  const children: ChildProcess[] = [];
  let seq = 0;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await t?.drop();
  });
  const reading = (sensor: string) =>
    JSON.stringify({
      sensor_id: sensor,
      value: 1,
      timestamp: new Date(Date.UTC(2026, 0, 1) + ++seq * 1000).toISOString(),
    });
  const ingest = (url: string, sensor: string, headers: Record<string, string> = {}) =>
    call(url, '/api/v1/data/ingest', { headers: withKey(headers, apiKey), body: reading(sensor) });

  it('a Redis URL at a closed port: the server starts, every request is answered from the fallback', async () => {
    const prefix = `smx-test-${randomBytes(4).toString('hex')}:`;
    const served = await serve(t.url, `redis://127.0.0.1:${await freePort()}`, prefix);
    children.push(served.child);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await ingest(served.url, 'closed-port')).status);
    assert.deepEqual(new Set(statuses), new Set([202]));
    // Idempotency keys are kept in PostgreSQL meanwhile: a repeat is replayed, not refused.
    const body = reading('closed-port-idem');
    const first = await call(served.url, '/api/v1/data/ingest', {
      headers: withKey({ 'idempotency-key': 'k-1' }, apiKey),
      body,
    });
    const again = await call(served.url, '/api/v1/data/ingest', {
      headers: withKey({ 'idempotency-key': 'k-1' }, apiKey),
      body,
    });
    assert.equal(first.status, 202, first.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const counts = await fallbacks(served.url);
    assert.ok(counts.skipped >= 30, `requests served without waiting for Redis: ${JSON.stringify(counts)}`);
    const ready = await call(served.url, '/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'degraded');
    served.child.kill('SIGTERM');
    assert.equal(await served.exited, 0);
  });

  it('a Redis that stops and comes back: fallback at once while it is down, shared limits again after', async () => {
    const port = await freePort();
    const prefix = `smx-test-${randomBytes(4).toString('hex')}:`;
    let redis = await startRedis(port);
    children.push(redis);
    const served = await serve(t.url, `redis://127.0.0.1:${port}`, prefix);
    children.push(served.child);
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    const bucketKeys = async () => {
      await client.connect().catch(() => undefined);
      return client.keys(`${prefix}ratelimit:*`);
    };
    try {
      assert.equal((await ingest(served.url, 'stop-start')).status, 202);
      assert.equal((await bucketKeys()).length, 1, 'the rate limit lives in Redis');
      client.disconnect();
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const before = await fallbacks(served.url);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await ingest(served.url, 'stop-start')).status);
      assert.deepEqual(new Set(statuses), new Set([202]));
      const during = await fallbacks(served.url);
      // At most a command or two meet the dead connection; the rest never wait for it.
      assert.ok(during.skipped - before.skipped >= 28, JSON.stringify({ before, during }));
      redis = await startRedis(port);
      children.push(redis);
      let keys: string[] = [];
      for (let i = 0; i < 100 && keys.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        assert.equal((await ingest(served.url, 'stop-start')).status, 202);
        keys = await bucketKeys().catch(() => []);
      }
      assert.equal(keys.length, 1, 'after Redis returned, the rate limit is kept in Redis again');
      const settled = await fallbacks(served.url);
      for (let i = 0; i < 10; i++) assert.equal((await ingest(served.url, 'stop-start')).status, 202);
      assert.equal((await fallbacks(served.url)).skipped, settled.skipped, 'no more fallbacks once it is back');
    } finally {
      client.disconnect();
      served.child.kill('SIGTERM');
      await served.exited;
      redis.kill('SIGTERM');
    }
  });
});

import type { AddressInfo } from 'node:net';
import type { Cache } from '../../src/cache/cache.js';
import { createPostgresCache } from '../../src/cache/postgres-cache.js';
import type { Db } from '../../src/db/db.js';
import { silentLogger } from '../../src/log.js';
import { createServer, type ServerLimits, type SmxServer } from '../../src/server/create-server.js';
import { createMemoryRateLimiter, type RateLimiter } from '../../src/server/rate-limiter.js';
import { createReadingWriter } from '../../src/ingest/reading-writer.js';
import type { Reading } from '../../src/ingest/reading.js';

export const testApiKey = 'test-env-key-0123456789abcdef';

export interface Harness {
  url: string;
  app: SmxServer;
  close(): Promise<void>;
}

export interface HarnessOptions {
  cache?: Cache;
  rateLimiter?: RateLimiter;
  limits?: Partial<ServerLimits>;
  /** Wraps the real flush (e.g. to make it fail once). */
  wrapFlush?: (flush: (rows: Reading[]) => Promise<boolean[]>) => (rows: Reading[]) => Promise<boolean[]>;
  now?: () => number;
  pingRedis?: () => Promise<unknown>;
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number; drainGraceMs?: number };
  /** API-key lookups reused for this long (default 0: every request asks). */
  authCacheMs?: number;
}

/** createServer on a test database, listening on 127.0.0.1 with a free port. */
export async function startHarness(db: Db, options: HarnessOptions = {}): Promise<Harness> {
  const writer = createReadingWriter(db);
  const app = createServer({
    db,
    cache: options.cache ?? createPostgresCache(db),
    rateLimiter: options.rateLimiter ?? createMemoryRateLimiter(),
    logger: silentLogger(),
    limits: {
      bodyLimitBytes: 64 * 1024,
      ingestPerMinute: 1_000_000,
      driftPerMinute: 10,
      batchMaxDelayMs: 2,
      batchMaxRows: 5000,
      ...options.limits,
    },
    apiKey: testApiKey,
    readings: { validate: writer.validate, flush: options.wrapFlush ? options.wrapFlush(writer.flush) : writer.flush },
    authCacheMs: options.authCacheMs ?? 0,
    now: options.now,
    pingRedis: options.pingRedis,
    // A short drain grace keeps the tests' own shutdowns quick.
    timeouts: { drainGraceMs: 100, ...options.timeouts },
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      if (closed) return;
      closed = true;
      await app.shutdown({ timeoutMs: 5000 });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** One request with fetch; the body is parsed as JSON when it is JSON. */
export async function call(
  url: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const response = await fetch(url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.headers,
    body: init.body,
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Prometheus text or an empty body
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const withKey = (extra: Record<string, string> = {}, key = testApiKey) => ({
  'x-api-key': key,
  'content-type': 'application/json',
  ...extra,
});

export async function countReadings(db: Db, sensorPrefix: string): Promise<{ total: number; distinct: number }> {
  const { rows } = await db.query<{ total: number; distinct: number }>(
    `select count(*)::int as total, count(distinct (sensor_id, ts))::int as distinct from sensor_readings where sensor_id like $1`,
    [sensorPrefix + '%'],
  );
  return rows[0]!;
}

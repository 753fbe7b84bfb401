import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Cache } from '../cache/cache.js';

/**
 * The Redis fast path for idempotency: after a run commits, SET NX EX
 * `ingest:done:<key>` → batch id; a repeat run finds it before doing anything
 * else. Postgres stays the authority (the marker is only trusted after the
 * batch row confirms it), so a configured Redis that is down or failing is a
 * logged degradation, not an error: the run goes on, and its summary says
 * `redis: "degraded"`.
 */
export interface DoneMarker {
  readonly state: () => 'ok' | 'degraded' | 'not configured';
  get(key: string): Promise<number | undefined>;
  set(key: string, batchId: number): Promise<void>;
  close(): Promise<void>;
}

const ttlSeconds = 30 * 86_400;
const markerKey = (key: string) => `ingest:done:${createHash('sha256').update(key).digest('hex')}`;

export async function openDoneMarker(
  redisUrl: string | undefined,
  prefix: string,
  logger: Logger,
): Promise<DoneMarker> {
  let cache: Cache | undefined;
  let state: 'ok' | 'degraded' | 'not configured' = redisUrl ? 'ok' : 'not configured';
  const degrade = (error: unknown) => {
    if (state !== 'degraded')
      logger.warn(
        { err: (error as Error).message },
        'Redis is degraded: idempotency is enforced by PostgreSQL alone for this run',
      );
    state = 'degraded';
  };
  if (redisUrl) {
    try {
      // Imported only when Redis is configured: loading ioredis costs a CLI run tens of milliseconds.
      const { connectRedis, createRedisCache } = await import('../cache/redis-cache.js');
      cache = createRedisCache(await connectRedis(redisUrl, { connectTimeoutMs: 1500 }), prefix);
    } catch (error) {
      degrade(error);
    }
  }
  return {
    state: () => state,
    async get(key) {
      if (!cache || state === 'degraded') return undefined;
      try {
        const value = await cache.get(markerKey(key));
        return value === undefined ? undefined : Number(value);
      } catch (error) {
        degrade(error);
        return undefined;
      }
    },
    async set(key, batchId) {
      if (!cache || state === 'degraded') return;
      try {
        await cache.setIfAbsent(markerKey(key), String(batchId), ttlSeconds);
      } catch (error) {
        degrade(error);
      }
    },
    async close() {
      await cache?.close();
    },
  };
}

import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Cache } from '../cache/cache.js';

/**
 * The Redis fast path for idempotency: after a run commits, SET NX EX
 * `ingest:done:<key>` → batch id; a repeat run finds it before doing anything
 * else. Postgres stays the authority (the marker is only trusted after the
 * batch row confirms it), so a configured Redis that is down or failing is a
 * logged degradation, not an error: the run goes on, and its summary says
 * `redis: "degraded"`. The cache is the run's (context.cache()); this never closes it.
 */
export interface DoneMarker {
  readonly state: () => 'ok' | 'degraded' | 'not configured';
  get(key: string): Promise<number | undefined>;
  set(key: string, batchId: number): Promise<void>;
}

const ttlSeconds = 30 * 86_400;
const markerKey = (key: string) => `ingest:done:${createHash('sha256').update(key).digest('hex')}`;

/** `openCache` absent: no Redis configured. Opening it may fail (Redis down): then the marker is degraded. */
export async function openDoneMarker(
  openCache: (() => Promise<Cache>) | undefined,
  logger: Logger,
): Promise<DoneMarker> {
  let cache: Cache | undefined;
  let state: 'ok' | 'degraded' | 'not configured' = openCache ? 'ok' : 'not configured';
  const degrade = (error: unknown) => {
    if (state !== 'degraded')
      logger.warn(
        { err: (error as Error).message },
        'Redis is degraded: idempotency is enforced by PostgreSQL alone for this run',
      );
    state = 'degraded';
  };
  if (openCache) {
    try {
      cache = await openCache();
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
  };
}

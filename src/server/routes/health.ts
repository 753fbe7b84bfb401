import type { Clock } from '../../clock.js';
import type { Queryable } from '../../db/db.js';
import type { RouteHandler, RouteResult } from '../route-types.js';

/** GET /health: the process is alive and serving; touches no dependency. */
export function liveness(now: Clock): RouteHandler {
  return async () => ({ status: 200, body: { status: 'ok', timestamp: new Date(now()).toISOString() } });
}

export interface ReadinessDeps {
  db: Queryable;
  /** Pings Redis; absent when no Redis is configured. */
  pingRedis?: (() => Promise<unknown>) | undefined;
  timeoutMs?: number;
  now: Clock;
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'failed'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'ok';
  } catch {
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /health/ready: Postgres and Redis answer. The seed's shape
 * {status: ok|degraded, database, redis, timestamp}; 503 when Postgres is down
 * (nothing can be stored), 200 "degraded" when only Redis is (rate limits fall
 * back to this process). redis is "not_configured" without a Redis URL.
 */
export function readiness(deps: ReadinessDeps): RouteHandler {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return async (): Promise<RouteResult> => {
    const [database, redis] = await Promise.all([
      probe(() => deps.db.query('select 1'), timeoutMs),
      deps.pingRedis ? probe(deps.pingRedis, timeoutMs) : Promise.resolve('not_configured' as const),
    ]);
    const status = database === 'ok' && redis !== 'failed' ? 'ok' : 'degraded';
    return {
      status: database === 'ok' ? 200 : 503,
      headers: database === 'ok' ? {} : { 'retry-after': '2' },
      body: { status, database, redis, timestamp: new Date(deps.now()).toISOString() },
    };
  };
}

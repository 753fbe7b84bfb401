import type { Cache } from './cache.js';
import type { RedisBreaker } from './redis-breaker.js';

/**
 * The Redis cache with the PostgreSQL one (the smx_kv table) behind it: while
 * the breaker is open every call goes to PostgreSQL at once, and a call that
 * fails on Redis (opening the breaker) is made there instead. `smx serve`'s
 * idempotency keys so keep working through a Redis outage instead of each
 * request waiting seconds and then being refused.
 *
 * The two stores do not share keys: a key claimed in one is unknown to the
 * other, so a retry that crosses an outage's start or end is processed again
 * rather than replayed. Its readings are then answered as duplicates (the
 * primary key in PostgreSQL stores each reading once), never stored twice.
 */
export function createFallbackCache(primary: Cache, fallback: Cache, breaker: RedisBreaker): Cache {
  const call = <T>(op: (cache: Cache) => Promise<T>): Promise<T> => {
    if (breaker.isOpen()) return op(fallback);
    return breaker
      .run(() => op(primary))
      .catch((error: unknown) => {
        if (breaker.isOpen()) return op(fallback);
        throw error;
      });
  };
  return {
    kind: primary.kind,
    setIfAbsent: (key, value, ttlSeconds) => call((c) => c.setIfAbsent(key, value, ttlSeconds)),
    get: (key) => call((c) => c.get(key)),
    set: (key, value, ttlSeconds) => call((c) => c.set(key, value, ttlSeconds)),
    delete: (key) => call((c) => c.delete(key)),
    increment: (key, by, ttlSeconds) => call((c) => c.increment(key, by, ttlSeconds)),
    async close() {
      breaker.close();
      await primary.close();
      await fallback.close();
    },
  };
}

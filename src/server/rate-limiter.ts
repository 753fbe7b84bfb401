import type { Redis } from 'ioredis';
import type { RedisBreaker } from '../cache/redis-breaker.js';
import { systemClock, type Clock } from '../clock.js';

/**
 * Token buckets per (API key, route class). The bucket holds one minute's worth
 * of requests and refills continuously, so `perMinute` is both the sustained
 * rate and the burst. Redis keeps the buckets shared across server processes;
 * without Redis they live in this process.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one token is available (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** The in-process limiter answers at once; the Redis one with a promise. */
  take(bucket: string, perMinute: number): RateDecision | Promise<RateDecision>;
  readonly kind: 'redis' | 'memory';
}

/** One bucket's refill step, shared by the in-process limiter and (as Lua) by Redis. */
export function refill(tokens: number, lastMs: number, nowMs: number, perMinute: number): number {
  return Math.min(perMinute, tokens + (Math.max(0, nowMs - lastMs) * perMinute) / 60_000);
}

export function createMemoryRateLimiter(now: Clock = systemClock, maxBuckets = 100_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; last: number }>();
  return {
    kind: 'memory',
    // Not async, and an allowed request gets one shared answer: the check allocates nothing.
    take(bucket, perMinute) {
      const t = now();
      let entry = buckets.get(bucket);
      if (!entry) {
        // Bounded memory: a flood of distinct keys cannot grow the map without limit.
        if (buckets.size >= maxBuckets) buckets.clear();
        entry = { tokens: perMinute, last: t };
        buckets.set(bucket, entry);
      }
      entry.tokens = refill(entry.tokens, entry.last, t, perMinute);
      entry.last = t;
      if (entry.tokens >= 1) {
        entry.tokens -= 1;
        return allowed;
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - entry.tokens) * 60) / perMinute)) };
    },
  };
}

const allowed: RateDecision = Object.freeze({ allowed: true, retryAfterSeconds: 0 });

// Redis' own clock (TIME) so several servers agree; the key expires once the bucket would be full again.
const tokenBucketLua = `
local capacity = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(state[1]) or capacity
local last = tonumber(state[2]) or now
local elapsed = now - last
if elapsed < 0 then elapsed = 0 end
tokens = math.min(capacity, tokens + elapsed * capacity / 60000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 60000 / capacity) + 1000)
if allowed == 1 then return {1, 0} end
return {0, math.ceil((1 - tokens) * 60000 / capacity)}
`;

/**
 * The Redis token bucket. While Redis is down (the breaker is open) requests
 * are limited in-process at once, without a promise; a call that fails on
 * Redis is limited in-process too. Never refused or let through unlimited.
 */
export function createRedisRateLimiter(redis: Redis, prefix: string, breaker: RedisBreaker): RateLimiter {
  redis.defineCommand('smxTokenBucket', { numberOfKeys: 1, lua: tokenBucketLua });
  const fallback = createMemoryRateLimiter();
  const bucketScript = redis as unknown as { smxTokenBucket(key: string, capacity: number): Promise<[number, number]> };
  return {
    kind: 'redis',
    take(bucket, perMinute) {
      if (breaker.isOpen()) return fallback.take(bucket, perMinute);
      return breaker
        .run(() => bucketScript.smxTokenBucket(`${prefix}ratelimit:${bucket}`, perMinute))
        .then(
          ([granted, retryMs]) =>
            granted === 1 ? allowed : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) },
          () => fallback.take(bucket, perMinute),
        );
    },
  };
}

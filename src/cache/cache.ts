/**
 * Keys with a time to live: idempotency markers, cooldowns, short-lived
 * results. Redis when configured; the smx_kv table otherwise. Both pass the
 * same contract tests (test/cache/cache-contract.test.ts).
 */
export interface Cache {
  /** Sets `key` only if absent (Redis SET NX EX). True when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Sets unconditionally (with a TTL, or forever when ttlSeconds is undefined). */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds `by` to an integer counter (created at 0) and returns the new value; the TTL is set when created. */
  increment(key: string, by: number, ttlSeconds: number): Promise<number>;
  readonly kind: 'redis' | 'postgres';
  close(): Promise<void>;
}

import { createHash } from 'node:crypto';
import type { Cache } from '../cache/cache.js';
import { badRequest, HttpError } from './http-error.js';

/**
 * Idempotency-Key handling over the Cache (Redis or the smx_kv table):
 * - the first request claims the key with a "pending" marker (SET NX), does the
 *   work, then stores its response; a later repeat gets that response back;
 * - a repeat while the first is still running waits briefly, then gets 409;
 * - a failed request releases its key, so a retry is processed, not answered
 *   "duplicate" (the seed's fault);
 * - keys are scoped per API key, and a repeat with a different body is 422.
 * When the cache itself fails the request is refused (503) rather than
 * processed without its idempotency guarantee.
 */
export interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

export type Claim = { kind: 'claimed'; cacheKey: string } | { kind: 'replay'; response: StoredResponse };

export interface IdempotencyOptions {
  pendingTtlSeconds?: number;
  resultTtlSeconds?: number;
  /** How long a repeat waits for a running first request before 409. */
  waitMs?: number;
  pollMs?: number;
}

const PENDING = 'pending';
const keyPattern = /^[\x21-\x7e]{1,255}$/;

export function createIdempotency(cache: Cache, options: IdempotencyOptions = {}) {
  const pendingTtl = options.pendingTtlSeconds ?? 120;
  const resultTtl = options.resultTtlSeconds ?? 86_400;
  const waitMs = options.waitMs ?? 2000;
  const pollMs = options.pollMs ?? 20;

  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch {
      throw new HttpError(
        503,
        'idempotency_unavailable',
        'The idempotency store does not answer; nothing was stored. Retry later.',
        {
          headers: { 'retry-after': '2' },
        },
      );
    }
  };

  return {
    /** Claims `key` for this request, or returns the stored response of an earlier one. */
    async claim(scope: string, key: string, body: Buffer): Promise<Claim> {
      if (!keyPattern.test(key)) throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters.');
      const digest = createHash('sha256').update(key).digest('base64url');
      const cacheKey = `idem:${scope}:${digest}`;
      const fingerprint = createHash('sha256').update(body).digest('base64url');
      const deadline = performance.now() + waitMs; // a bound on real waiting: monotonic
      for (;;) {
        if (await guarded(() => cache.setIfAbsent(cacheKey, `${PENDING}:${fingerprint}`, pendingTtl)))
          return { kind: 'claimed', cacheKey };
        const value = await guarded(() => cache.get(cacheKey));
        if (value === undefined) continue; // released or expired between the two calls: claim again
        const stored = parseStored(value);
        const storedFingerprint = stored ? stored.fingerprint : value.slice(PENDING.length + 1);
        if (storedFingerprint !== fingerprint) {
          throw new HttpError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request body.',
          );
        }
        if (stored) return { kind: 'replay', response: stored.response };
        if (performance.now() >= deadline) {
          throw new HttpError(
            409,
            'idempotency_in_progress',
            'A request with this Idempotency-Key is still being processed; retry shortly.',
            {
              headers: { 'retry-after': '1' },
            },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },

    /** Stores the response of a claimed key (only responses that should be replayed). */
    async complete(cacheKey: string, body: Buffer, response: StoredResponse): Promise<void> {
      const fingerprint = createHash('sha256').update(body).digest('base64url');
      await cache.set(cacheKey, JSON.stringify({ fingerprint, response }), resultTtl);
    },

    /** Frees a claimed key after a failure, so the client's retry is processed. */
    async release(cacheKey: string): Promise<void> {
      await cache.delete(cacheKey).catch(() => undefined);
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;

function parseStored(value: string): { fingerprint: string; response: StoredResponse } | undefined {
  if (value.startsWith(PENDING + ':')) return undefined;
  try {
    return JSON.parse(value) as { fingerprint: string; response: StoredResponse };
  } catch {
    return undefined;
  }
}

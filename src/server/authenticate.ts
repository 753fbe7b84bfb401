import type { Queryable } from '../db/db.js';
import { apiKeyPrefix, hashApiKey, secretMatcher } from '../api-keys/api-key-format.js';
import { lookupApiKey, touchApiKeys, type ApiKeyLookup } from '../api-keys/api-key-store.js';
import { forbidden, unauthorized } from './http-error.js';
import { systemClock, type Clock } from '../clock.js';

/** Who made a request: the rate-limit and idempotency scope. */
export interface Principal {
  /** 'env' for the SMX_API_KEY key, else 'key:<id>'. */
  scope: string;
  /** The key's public prefix, safe to log. */
  label: string;
}

export interface AuthenticatorOptions {
  db: Queryable;
  /** The single key from SMX_API_KEY / config apiKey, accepted besides the stored ones. */
  apiKey?: string | undefined;
  /** How long a lookup is reused (a revocation takes effect within this); 0 disables reuse. */
  cacheMs?: number;
  now?: Clock | undefined;
}

export interface Authenticator {
  /**
   * The principal; throws (or rejects with) 401 for a missing or wrong key, 403 for a revoked one.
   * The SMX_API_KEY key and a missing key are answered at once, without a promise.
   */
  authenticate(presented: string | undefined): Principal | Promise<Principal>;
  /** Writes pending last_used_at updates. */
  close(): Promise<void>;
}

/** Lookups remembered: answers for real keys, and failures (by hash). */
const MAX_CACHED = 10_000;
/**
 * The longest X-API-Key looked at. Stored keys are 56 characters and
 * SMX_API_KEY at most this (config schema); anything longer is refused before
 * any lookup, so a client cannot make the server hold kilobytes per request.
 */
export const MAX_API_KEY_LENGTH = 256;
const envPrincipal: Principal = Object.freeze({ scope: 'env', label: 'SMX_API_KEY' });

/**
 * X-API-Key checks. Stored keys are found by prefix and compared by hash in
 * constant time; results are reused for `cacheMs` so a busy key costs no query
 * per request. last_used_at is written once a minute, off the request path.
 *
 * What a wrong key can cost is bounded: an overlong key or one that is not a
 * stored key's shape (`smx_<8 hex>_<43>`) is refused at once, with no lookup
 * and nothing remembered; a well-formed key that matches nothing is
 * remembered by its SHA-256 (32 bytes), at most MAX_CACHED of them. Only keys
 * found in the table are remembered by their text, and there are few.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const cacheMs = options.cacheMs ?? 5000;
  const now = options.now ?? systemClock;
  const known = new Map<string, { lookup: ApiKeyLookup; until: number }>();
  const unknown = new Map<string, number>();
  const used = new Set<number>();
  // Compared in constant time on every request, without hashing or allocating.
  const matchesEnvKey = options.apiKey ? secretMatcher(options.apiKey) : undefined;
  const flushUsed = async () => {
    if (!used.size) return;
    const ids = [...used];
    used.clear();
    await touchApiKeys(options.db, ids).catch(() => undefined);
  };
  const timer = setInterval(() => void flushUsed(), 60_000);
  timer.unref();

  async function lookup(presented: string): Promise<ApiKeyLookup> {
    if (cacheMs === 0) return lookupApiKey(options.db, presented);
    const hit = known.get(presented);
    if (hit && hit.until > now()) return hit.lookup;
    const digest = hashApiKey(presented).toString('base64');
    const missUntil = unknown.get(digest);
    if (missUntil !== undefined && missUntil > now()) return unknownKey;
    const result = await lookupApiKey(options.db, presented);
    if (result.status === 'unknown') {
      if (unknown.size >= MAX_CACHED) unknown.clear();
      unknown.set(digest, now() + cacheMs);
    } else {
      if (known.size >= MAX_CACHED) known.clear();
      known.set(presented, { lookup: result, until: now() + cacheMs });
    }
    return result;
  }

  async function authenticateStored(presented: string): Promise<Principal> {
    const result = await lookup(presented);
    if (result.status === 'unknown') throw unauthorized('Invalid API key.');
    if (result.status === 'revoked') throw forbidden(`API key ${result.prefix} has been revoked.`);
    used.add(result.id);
    return { scope: `key:${result.id}`, label: result.prefix };
  }

  return {
    // Not async: a busy server checks the SMX_API_KEY key on every request, and a promise would cost a turn of the microtask queue.
    authenticate(presented) {
      if (!presented) throw unauthorized('Missing X-API-Key header.');
      if (presented.length > MAX_API_KEY_LENGTH)
        throw unauthorized(`X-API-Key is longer than ${MAX_API_KEY_LENGTH} characters; no key is.`);
      if (matchesEnvKey?.(presented)) return envPrincipal;
      if (apiKeyPrefix(presented) === undefined) throw unauthorized('Invalid API key.');
      return authenticateStored(presented);
    },
    async close() {
      clearInterval(timer);
      await flushUsed();
    },
  };
}

const unknownKey: ApiKeyLookup = Object.freeze({ status: 'unknown' });

import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key format: `smx_<8 hex id>_<43 base64url secret chars>` (32 random bytes).
 * The first 12 characters (`smx_<id>`) are the key's public prefix: stored in
 * clear to find the row and to name the key in listings. Only a SHA-256 of the
 * whole key is stored; a fast hash is enough because the key is 256 random bits,
 * not a password.
 */
export const API_KEY_PREFIX_LENGTH = 12;
const keyPattern = /^smx_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): { key: string; prefix: string } {
  const id = randomBytes(4).toString('hex');
  const key = `smx_${id}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX_LENGTH) };
}

/** SHA-256 of the key (what the api_keys table stores). */
export function hashApiKey(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

/** The public prefix of a well-formed key; undefined for anything else (no lookup is made). */
export function apiKeyPrefix(key: string): string | undefined {
  return keyPattern.test(key) ? key.slice(0, API_KEY_PREFIX_LENGTH) : undefined;
}

/**
 * Compares two secrets in time independent of where they differ: both are
 * hashed first, so the lengths match and timingSafeEqual applies.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(hashApiKey(presented), hashApiKey(expected));
}

/**
 * A check of presented secrets against one expected secret, in time that
 * depends only on the expected length: the presented bytes are copied into a
 * zeroed buffer of that length (cut or padded) and compared in full, and the
 * lengths are compared apart. No hash per call, and no allocation: the
 * expected bytes and the buffer are made once. `smx serve` checks the
 * SMX_API_KEY key on every request, where a SHA-256 took 4-5 % of its CPU.
 */
export function secretMatcher(expected: string): (presented: string) => boolean {
  const want = Buffer.from(expected, 'utf8');
  const given = Buffer.alloc(want.length);
  return (presented) => {
    given.fill(0);
    given.write(presented, 'utf8');
    const sameLength = Buffer.byteLength(presented, 'utf8') === want.length;
    return timingSafeEqual(given, want) && sameLength;
  };
}

/** Compares a presented key with a stored SHA-256, in constant time. */
export function matchesHash(presented: string, storedHash: Buffer): boolean {
  const digest = hashApiKey(presented);
  return storedHash.length === digest.length && timingSafeEqual(digest, storedHash);
}

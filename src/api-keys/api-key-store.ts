import type { Queryable } from '../db/db.js';
import { inputError, notFoundError } from '../errors.js';
import { apiKeyPrefix, generateApiKey, hashApiKey, matchesHash } from './api-key-format.js';

/**
 * The api_keys table: create (the key is returned once and never stored in
 * clear), list, revoke, and look up a presented key for the server.
 */
export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The full key: shown once, at creation. */
  key: string;
}

/** What a presented key is: unknown (401), revoked (403) or valid. */
export type ApiKeyLookup =
  | { status: 'unknown' }
  | { status: 'revoked'; id: number; prefix: string }
  | { status: 'valid'; id: number; prefix: string; name: string };

interface Row extends Record<string, unknown> {
  id: number;
  name: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const toInfo = (row: Row): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  prefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export async function createApiKey(db: Queryable, name: string): Promise<CreatedApiKey> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200)
    throw inputError('An API key needs a name of 1 to 200 characters.', {
      hint: 'e.g. smx keys create --name line-3-gateway',
    });
  // A prefix collision (1 in 4 billion per pair) is retried with a new key rather than failing.
  for (let attempt = 0; ; attempt++) {
    const { key, prefix } = generateApiKey();
    const { rows } = await db.query<Row>(
      `insert into api_keys (name, key_prefix, key_hash) values ($1, $2, $3)
       on conflict (key_prefix) do nothing
       returning id, name, key_prefix, created_at, revoked_at, last_used_at`,
      [trimmed, prefix, hashApiKey(key)],
    );
    if (rows[0]) return { ...toInfo(rows[0]), key };
    if (attempt > 5) throw new Error('could not draw a unique API key prefix');
  }
}

export async function listApiKeys(db: Queryable, options: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query<Row>(
    `select id, name, key_prefix, created_at, revoked_at, last_used_at from api_keys
     ${options.includeRevoked === false ? 'where revoked_at is null' : ''} order by id`,
  );
  return rows.map(toInfo);
}

/** Revokes by id, prefix (`smx_xxxxxxxx`) or the full key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Queryable, which: string): Promise<ApiKeyInfo> {
  const value = which.trim();
  const prefix = apiKeyPrefix(value) ?? value;
  const byId = /^\d+$/.test(value);
  const { rows } = await db.query<Row>(
    `update api_keys set revoked_at = coalesce(revoked_at, now())
     where ${byId ? 'id = $1::bigint' : 'key_prefix = $1'}
     returning id, name, key_prefix, created_at, revoked_at, last_used_at`,
    [byId ? value : prefix],
  );
  if (!rows[0])
    throw notFoundError(`No API key ${JSON.stringify(value)}.`, { hint: 'List them with `smx keys list`.' });
  return toInfo(rows[0]);
}

/** Finds a presented key by its prefix and checks its hash in constant time. */
export async function lookupApiKey(db: Queryable, presented: string): Promise<ApiKeyLookup> {
  const prefix = apiKeyPrefix(presented);
  if (!prefix) return { status: 'unknown' };
  const { rows } = await db.query<{ id: number; name: string; key_hash: Buffer; revoked_at: Date | null }>(
    'select id, name, key_hash, revoked_at from api_keys where key_prefix = $1',
    [prefix],
  );
  const row = rows[0];
  if (!row || !matchesHash(presented, row.key_hash)) return { status: 'unknown' };
  if (row.revoked_at) return { status: 'revoked', id: row.id, prefix };
  return { status: 'valid', id: row.id, prefix, name: row.name };
}

/** Records use, at most once per key per call; the server calls it off the request path. */
export async function touchApiKeys(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length) await db.query('update api_keys set last_used_at = now() where id = any($1::bigint[])', [ids]);
}

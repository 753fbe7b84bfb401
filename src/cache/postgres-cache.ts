import type { Cache } from './cache.js';
import type { Queryable } from '../db/db.js';

/**
 * The smx_kv table as a Cache. Expired rows count as absent and are
 * overwritten in place, so no sweeper is needed for correctness; `sweep()`
 * only reclaims space.
 */
export function createPostgresCache(db: Queryable, prefix = ''): Cache & { sweep(): Promise<number> } {
  // Lifetimes are counted on the database's clock, the one that expiry is checked against (`expires_at <= now()`).
  const lifetimeMs = (ttl: number | undefined) => (ttl === undefined ? null : Math.ceil(ttl * 1000));
  return {
    kind: 'postgres',
    async setIfAbsent(key, value, ttlSeconds) {
      const { rowCount } = await db.query(
        `insert into smx_kv (key, value, expires_at) values ($1, $2, now() + $3::bigint * interval '1 millisecond')
         on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
         where smx_kv.expires_at is not null and smx_kv.expires_at <= now()`,
        [prefix + key, value, lifetimeMs(ttlSeconds)],
      );
      return rowCount === 1;
    },
    async get(key) {
      const { rows } = await db.query<{ value: string }>(
        'select value from smx_kv where key = $1 and (expires_at is null or expires_at > now())',
        [prefix + key],
      );
      return rows[0]?.value;
    },
    async set(key, value, ttlSeconds) {
      await db.query(
        `insert into smx_kv (key, value, expires_at) values ($1, $2, now() + $3::bigint * interval '1 millisecond')
         on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
        [prefix + key, value, lifetimeMs(ttlSeconds)],
      );
    },
    async delete(key) {
      await db.query('delete from smx_kv where key = $1', [prefix + key]);
    },
    async increment(key, by, ttlSeconds) {
      const { rows } = await db.query<{ value: string }>(
        `insert into smx_kv as kv (key, value, expires_at) values ($1, $2::bigint::text, now() + $3::bigint * interval '1 millisecond')
         on conflict (key) do update set
           value = case when kv.expires_at is not null and kv.expires_at <= now() then excluded.value
                        else (kv.value::bigint + $2::bigint)::text end,
           expires_at = case when kv.expires_at is not null and kv.expires_at <= now() then excluded.expires_at
                             else kv.expires_at end
         returning value`,
        [prefix + key, by, lifetimeMs(ttlSeconds)],
      );
      return Number(rows[0]!.value);
    },
    async sweep() {
      const { rowCount } = await db.query('delete from smx_kv where expires_at <= now()');
      return rowCount;
    },
    async close() {},
  };
}

import type { Cache } from './cache.js';
import { connectRedis, createRedisCache } from './redis-cache.js';
import { createPostgresCache } from './postgres-cache.js';
import type { SmxConfig } from '../config/schema.js';
import type { Queryable } from '../db/db.js';

/** Redis when a URL is configured (and then it must answer: exit 4 otherwise), else the Postgres table. */
export async function openCache(config: SmxConfig, db: Queryable): Promise<Cache> {
  if (config.redisUrl) return createRedisCache(await connectRedis(config.redisUrl), config.redisPrefix);
  return createPostgresCache(db, config.redisPrefix);
}

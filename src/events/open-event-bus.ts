import type { SmxConfig } from '../config/schema.js';
import type { Db } from '../db/db.js';
import { connectRedis } from '../cache/redis-cache.js';
import type { EventBus } from './event-bus.js';
import { createPostgresEventBus } from './postgres-event-bus.js';
import { createRedisEventBus } from './redis-event-bus.js';

/**
 * Redis Streams when a Redis URL is configured (and then Redis must answer:
 * exit 4 otherwise, never a silent fallback), else the Postgres outbox.
 * `close()` also closes the Redis connection opened here.
 */
export async function openEventBus(config: SmxConfig, db: Db): Promise<EventBus> {
  if (!config.redisUrl) return createPostgresEventBus(db);
  const redis = await connectRedis(config.redisUrl);
  const bus = createRedisEventBus(redis, { prefix: config.redisPrefix });
  return {
    ...bus,
    kind: bus.kind,
    async close() {
      await bus.close();
      redis.disconnect();
    },
  };
}

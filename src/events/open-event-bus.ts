import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { SmxConfig } from '../config/schema.js';
import type { Db } from '../db/db.js';
import type { EventBus } from './event-bus.js';
import { createPostgresEventBus } from './postgres-event-bus.js';
import { createRedisEventBus } from './redis-event-bus.js';

/**
 * Redis Streams when a Redis connection is given (the run context gives one
 * exactly when a Redis URL is configured, and then it must answer: exit 4
 * otherwise, never a silent fallback), else the Postgres outbox. `close()`
 * releases what the bus opened itself; the connection and the database stay
 * with their owner.
 */
export async function openEventBus(
  config: Pick<SmxConfig, 'redisPrefix'>,
  resources: { redis?: Redis | undefined; database(): Promise<Db>; now?: Clock | undefined },
): Promise<EventBus> {
  if (resources.redis) return createRedisEventBus(resources.redis, { prefix: config.redisPrefix, now: resources.now });
  return createPostgresEventBus(await resources.database(), { now: resources.now });
}

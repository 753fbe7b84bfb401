import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Cache } from './cache/cache.js';
import { systemClock, type Clock } from './clock.js';
import type { SmxConfig } from './config/schema.js';
import type { ConfigSource } from './config/load.js';
import type { EventBus } from './events/event-bus.js';
import type { Logger } from './log.js';
import { openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from './db/connect.js';

/**
 * What a command runs with: frozen config, a logger, an AbortSignal (Ctrl-C,
 * SIGTERM), the terminal facts, the clock, the run's resources (each opened on
 * first use, once) and a list of release functions run in reverse order when
 * the command ends — whether it succeeded, failed or was interrupted. Library
 * code receives the narrow interfaces (Db, Cache, EventBus, Clock), never URLs.
 */
export interface RunContext {
  readonly config: Readonly<SmxConfig>;
  readonly configSources: Readonly<Record<string, ConfigSource>>;
  readonly configPath: string | undefined;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly runId: string;
  /** --json: one machine-readable result on stdout, nothing else there. */
  readonly json: boolean;
  /** Progress bars and prompts only when both stdin and stderr are terminals (never in cron or CI). */
  readonly interactive: boolean;
  readonly stdout: Writable;
  readonly cwd: string;
  /** The clock every library call gets (epoch ms). */
  readonly now: Clock;
  /** The command's database, opened on first use (the first call's options count) and closed at the end. */
  database(options?: OpenDatabaseOptions): Promise<OpenedDatabase>;
  /** The run's Redis connection when a Redis URL is configured (exit 4 if it does not answer), else undefined. */
  redis(): Promise<Redis | undefined>;
  /** Keys with a TTL: Redis when configured, else the smx_kv table (which opens the database). */
  cache(): Promise<Cache>;
  /** The event bus: Redis Streams when configured, else the Postgres outbox (src/events/open-event-bus.ts). */
  bus(): Promise<EventBus>;
  /** Registers a release function; they run last-in first-out when the command ends. */
  onRelease(release: () => Promise<void> | void): void;
}

export interface ContextParts {
  config: Readonly<SmxConfig>;
  configSources: Readonly<Record<string, ConfigSource>>;
  configPath: string | undefined;
  logger: Logger;
  signal: AbortSignal;
  runId: string;
  json: boolean;
  interactive: boolean;
  stdout: Writable;
  cwd: string;
  /** Applies pending migrations when opening the database (--migrate). */
  autoMigrate?: boolean;
  /** The clock (default: the system's). */
  now?: Clock;
}

export function createRunContext(parts: ContextParts): RunContext & { releaseAll(): Promise<void> } {
  const { config } = parts;
  const releases: Array<() => Promise<void> | void> = [];
  let opened: Promise<OpenedDatabase> | undefined;
  let redis: Promise<Redis | undefined> | undefined;
  let cache: Promise<Cache> | undefined;
  let bus: Promise<EventBus> | undefined;
  /** Opens a resource once; its release is registered when it is ready, so releases run in reverse order of opening. */
  const once = <T>(open: () => Promise<T>, release: (value: T) => Promise<void> | void) =>
    open().then((value) => {
      releases.push(() => release(value));
      return value;
    });
  const context: RunContext & { releaseAll(): Promise<void> } = {
    ...parts,
    now: parts.now ?? systemClock,
    database(options: OpenDatabaseOptions = {}) {
      opened ??= once(
        () => openDatabase(config, parts.logger, { schema: parts.autoMigrate ? 'apply' : 'require', ...options }),
        (db) => db.close(),
      );
      return opened;
    },
    redis() {
      redis ??= config.redisUrl
        ? once(
            async () => {
              // Imported only when Redis is configured: loading ioredis costs a CLI run tens of milliseconds.
              const { connectRedis } = await import('./cache/redis-cache.js');
              return connectRedis(config.redisUrl!);
            },
            (connection) => connection?.disconnect(),
          )
        : Promise.resolve(undefined);
      return redis;
    },
    cache() {
      cache ??= (async () => {
        const connection = await context.redis();
        if (connection) {
          const { createRedisCache } = await import('./cache/redis-cache.js');
          return createRedisCache(connection, config.redisPrefix, { closeConnection: false });
        }
        const { createPostgresCache } = await import('./cache/postgres-cache.js');
        return createPostgresCache((await context.database()).db, config.redisPrefix);
      })();
      return cache;
    },
    bus() {
      bus ??= once(
        async () => {
          const { openEventBus } = await import('./events/open-event-bus.js');
          return openEventBus(config, {
            redis: await context.redis(),
            database: async () => (await context.database()).db,
            now: context.now,
          });
        },
        (opened) => opened.close(),
      );
      return bus;
    },
    onRelease(release: () => Promise<void> | void) {
      releases.push(release);
    },
    async releaseAll() {
      while (releases.length) {
        const release = releases.pop()!;
        try {
          await release();
        } catch (error) {
          parts.logger.warn({ err: error }, 'a resource did not release cleanly');
        }
      }
    },
  };
  return context;
}

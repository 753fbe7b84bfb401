import type { Db } from './db.js';
import { createDb, createPool } from './postgres-db.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { hasSqlState, unavailableError } from '../errors.js';
import { redactUrl } from '../config/redact.js';
import type { SmxConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { assertSchemaCurrent, migrate } from './migrate.js';

export interface OpenedDatabase {
  db: Db;
  /** Where it is, with any password masked: safe to log and print. */
  displayUrl: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  poolSize?: number;
  /** 'require' (default): fail when the schema is missing; 'apply': run pending migrations; 'skip': do not check. */
  schema?: 'require' | 'apply' | 'skip';
}

/**
 * The database for a command: the configured URL, or the embedded PostgreSQL.
 * An unreachable server is exit 4 with a hint, a missing schema exit 2.
 */
export async function openDatabase(
  config: SmxConfig,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  let url = config.databaseUrl;
  let releaseEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const handle = await startEmbeddedPostgres({
      stateDir: config.stateDir,
      port: config.embedded.port,
      mode: 'command',
      logger,
    });
    url = handle.url;
    releaseEmbedded = handle.release;
  }
  const displayUrl = redactUrl(url);
  const db = createDb(createPool(url, { max: options.poolSize ?? 10 }));
  const close = async () => {
    await db.close().catch(() => undefined);
    await releaseEmbedded?.();
  };
  try {
    await db.query('select 1');
  } catch (error) {
    await close();
    if (hasSqlState(error, 'invalidCatalogName')) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1)) || '(default)';
      throw unavailableError(
        `PostgreSQL at ${displayUrl} answers, but database ${JSON.stringify(name)} does not exist.`,
        {
          hint: `Create it (\`createdb ${name}\`, or \`create database "${name}"\` in psql), then run \`smx migrate\`; or fix the URL (SMX_DATABASE_URL / --database-url).`,
          cause: error,
        },
      );
    }
    // `select 1` fails only for want of a usable server: refused, unknown host, bad
    // credentials (28xxx), no such database (3D000), TLS the server does not speak
    // (sslmode=require against a server without SSL). Every one is exit 4 with the reason.
    throw unavailableError(
      `PostgreSQL at ${displayUrl} is not reachable: ${(error as Error).message.replace(/\.$/, '')}.`,
      {
        hint: 'Check that it is running and the URL (SMX_DATABASE_URL / --database-url) is right, or unset it to use the embedded database.',
        cause: error,
      },
    );
  }
  try {
    if (options.schema === 'apply') {
      const result = await migrate(db);
      if (result.applied.length)
        logger.info({ applied: result.applied.map((a) => a.name) }, 'applied pending migrations');
    } else if (options.schema !== 'skip') {
      await assertSchemaCurrent(db);
    }
  } catch (error) {
    await close();
    throw error;
  }
  logger.debug({ database: displayUrl, embedded: Boolean(releaseEmbedded) }, 'database ready');
  return { db, displayUrl, embedded: Boolean(releaseEmbedded), close };
}

import type { Writable } from 'node:stream';
import type { SmxConfig } from './config/schema.js';
import type { ConfigSource } from './config/load.js';
import type { Logger } from './log.js';
import { openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from './db/connect.js';

/**
 * What a command runs with: frozen config, a logger, an AbortSignal (Ctrl-C,
 * SIGTERM), the terminal facts, and a list of release functions run in reverse
 * order when the command ends — whether it succeeded, failed or was interrupted.
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
  /** The command's database, opened on first use and closed at the end. */
  database(options?: OpenDatabaseOptions): Promise<OpenedDatabase>;
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
}

export function createRunContext(parts: ContextParts): RunContext & { releaseAll(): Promise<void> } {
  const releases: Array<() => Promise<void> | void> = [];
  let opened: Promise<OpenedDatabase> | undefined;
  const context = {
    ...parts,
    database(options: OpenDatabaseOptions = {}) {
      opened ??= openDatabase(parts.config, parts.logger, {
        schema: parts.autoMigrate ? 'apply' : 'require',
        ...options,
      }).then((db) => {
        releases.push(() => db.close());
        return db;
      });
      return opened;
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

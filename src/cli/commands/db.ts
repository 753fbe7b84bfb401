import type { Command } from 'commander';
import { action, examples } from '../command-kit.js';
import { embeddedStatus, startEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { dropPartitionsOlderThan } from '../../db/queries/sensor-readings.js';
import { SmxError } from '../../errors.js';
import { redactUrl } from '../../config/redact.js';

export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('manage the embedded PostgreSQL (used when no database URL is configured)')
    .addHelpText(
      'after',
      '\nExamples:\n  smx db start        # keep it running; prints a URL for psql\n  psql "$(smx db url)"\n  smx db stop',
    );

  db.command('start')
    .description('start the embedded PostgreSQL in the background and print its connection URL')
    .addHelpText('after', examples('smx db start && psql "$(smx db url)"'))
    .action(
      action(async (context) => {
        const handle = await startEmbeddedPostgres({
          stateDir: context.config.stateDir,
          port: context.config.embedded.port,
          mode: 'background',
          logger: context.logger,
        });
        return {
          result: { running: true, url: handle.url, port: handle.port, dataDir: handle.dataDir },
          text: `embedded PostgreSQL running at ${handle.url}\n  data: ${handle.dataDir}\n  psql "${handle.url}"`,
        };
      }),
    );

  db.command('stop')
    .description('stop the embedded PostgreSQL (data is kept)')
    .addHelpText('after', examples('smx db stop'))
    .action(
      action(async (context) => {
        const stopped = await stopEmbeddedPostgres(context.config.stateDir);
        return {
          result: { stopped },
          text: stopped ? 'embedded PostgreSQL stopped' : 'embedded PostgreSQL was not running',
        };
      }),
    );

  db.command('status')
    .description('show whether the embedded PostgreSQL runs, where, and which database smx would use')
    .addHelpText('after', examples('smx db status --json'))
    .action(
      action(async (context) => {
        const status = embeddedStatus(context.config.stateDir);
        const configured = context.config.databaseUrl ? redactUrl(context.config.databaseUrl) : undefined;
        const lines = [
          configured
            ? `smx uses ${configured} (${context.configSources.databaseUrl}); the embedded server is not used.`
            : 'smx uses the embedded PostgreSQL (no database URL configured).',
          status.running
            ? `embedded: running at ${status.url} (pid ${status.pid}, ${status.mode === 'background' ? 'started by smx db start' : 'held by a command'})`
            : `embedded: stopped${status.initialised ? '' : ', not initialised yet'}`,
          `data: ${status.dataDir}`,
        ];
        return { result: { configuredDatabase: configured ?? null, embedded: status }, text: lines.join('\n') };
      }),
    );

  db.command('url')
    .description('print the URL of the running embedded PostgreSQL (for psql and other tools)')
    .addHelpText('after', examples('psql "$(smx db url)"'))
    .action(
      action(async (context) => {
        const status = embeddedStatus(context.config.stateDir);
        if (!status.running || !status.url)
          throw new SmxError('UNAVAILABLE', 'The embedded PostgreSQL is not running.', {
            hint: 'Start it with `smx db start`.',
          });
        return { result: { url: status.url }, text: status.url };
      }),
    );

  db.command('prune')
    .description('retention: drop weekly reading partitions older than --older-than (hourly aggregates are kept)')
    .addHelpText('after', examples('smx db prune --older-than 180'))
    .requiredOption('--older-than <days>', 'age in days, e.g. 180')
    .action(
      action<{ olderThan: string }>(async (context, options) => {
        const days = Number(options.olderThan);
        if (!Number.isInteger(days) || days < 1)
          throw new SmxError('USAGE', '--older-than must be a whole number of days (1 or more).');
        const { db } = await context.database();
        const dropped = await dropPartitionsOlderThan(db, days);
        return {
          result: { dropped, olderThanDays: days },
          text: `dropped ${dropped} partition(s) older than ${days} days`,
        };
      }),
    );
}

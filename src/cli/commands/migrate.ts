import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { migrate, migrationStatus } from '../../db/migrate.js';
import { renderTable } from '../render-table.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (under an advisory lock, one transaction each)')
    .option('--status', 'list applied and pending migrations instead of applying')
    .addHelpText('after', '\nExamples:\n  smx migrate\n  smx migrate --status --json')
    .action(
      action<{ status?: boolean }>(async (context, options) => {
        const { db, displayUrl } = await context.database({ schema: 'skip' });
        if (options.status) {
          const status = await migrationStatus(db);
          const rows = [
            ...status.applied.map((a) => [
              String(a.id).padStart(4, '0'),
              a.name,
              a.changed ? 'CHANGED' : 'applied',
              a.appliedAt.toISOString(),
            ]),
            ...status.pending.map((p) => [String(p.id).padStart(4, '0'), p.name, 'pending', '']),
          ];
          return {
            result: {
              database: displayUrl,
              applied: status.applied.map((a) => ({
                id: a.id,
                name: a.name,
                appliedAt: a.appliedAt,
                changed: a.changed,
              })),
              pending: status.pending.map((p) => ({ id: p.id, name: p.name })),
            },
            text: `${displayUrl}\n${renderTable(['id', 'migration', 'state', 'applied at'], rows)}`,
            exitCode: status.applied.some((a) => a.changed) ? 2 : 0,
          };
        }
        const result = await migrate(db);
        const text = result.applied.length
          ? `Applied ${result.applied.length} migration(s) to ${displayUrl}: ${result.applied.map((a) => a.name).join(', ')}.`
          : `${displayUrl} is up to date (${result.alreadyApplied} migration(s) applied).`;
        return {
          result: { database: displayUrl, applied: result.applied, alreadyApplied: result.alreadyApplied },
          text,
        };
      }),
    );
}

import type { Command } from 'commander';
import { Option } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';
import { parseInstant } from '../../parse-instant.js';

interface ExportFlags {
  output?: string;
  format: 'csv' | 'ndjson' | 'parquet';
  since?: string;
  until?: string;
  sensor?: string[];
  incremental?: boolean;
  state: string;
  workers: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export readings as CSV or NDJSON (through COPY) or Parquet (--incremental: each row exactly once across runs)',
    )
    .option('-o, --output <file>', 'output file, or - for stdout (default); with --incremental: a folder (default .)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'ndjson', 'parquet']).default('csv'))
    .option(
      '--since <instant>',
      'readings at or after this instant (a date, an ISO-8601 time; UTC without a zone; or now)',
    )
    .option('--until <instant>', 'readings before this instant (a date, an ISO-8601 time; UTC without a zone; or now)')
    .option('--sensor <id...>', 'only these sensors')
    .option('--incremental', 'export only rows not exported before under --state; one new file per run')
    .option('--state <name>', 'name of the incremental export state', 'default')
    .option(
      '--workers <n>',
      'CSV/NDJSON over 100,000 rows: sensor ranges copied at once on their own connections, one snapshot',
      '2',
    )
    .addHelpText(
      'after',
      [
        '',
        'CSV columns: sensor_id,sensor_type,value,unit,timestamp,quality; timestamps UTC ISO-8601; rows ordered by sensor, then time.',
        'Incremental runs write <output folder>/<state>-<run>.csv; a run with no new rows writes no file and exits 0.',
        '',
        'Examples:',
        '  smx export --since 2024-01-01T00:00:00Z --sensor temperature-001 -o temp.csv',
        '  smx export --incremental --state warehouse -o exports/ --json   # from cron',
      ].join('\n'),
    )
    .action(
      action<ExportFlags>(async (context, flags) => {
        if (
          flags.format === 'parquet' &&
          !flags.incremental &&
          (!flags.output || flags.output === '-') &&
          process.stdout.isTTY
        ) {
          throw usageError('--format parquet writes binary data: give --output FILE (or pipe stdout).');
        }
        const filters = {
          ...(flags.since ? { sinceMs: parseInstant(flags.since, '--since', context.now) } : {}),
          ...(flags.until ? { untilMs: parseInstant(flags.until, '--until', context.now) } : {}),
          ...(flags.sensor?.length ? { sensors: [...new Set(flags.sensor)].sort() } : {}),
        };
        const workers = parseIntFlag(flags.workers, '--workers', { min: 1, max: 16 });
        const { db } = await context.database({ poolSize: workers + 1 });
        if (flags.incremental) {
          const { runIncrementalExport } = await import('../../export/incremental-export.js');
          const summary = await runIncrementalExport(db, {
            state: flags.state,
            directory: flags.output ?? '.',
            format: flags.format,
            filters,
            workers,
            signal: context.signal,
            logger: context.logger,
          });
          const files = summary.runs.filter((r) => r.output).map((r) => r.output);
          const text = summary.rows
            ? `Exported ${summary.rows} new readings to ${files.join(', ')} (state ${summary.state}).`
            : `No new readings since the last export of state ${summary.state}.`;
          return { result: { ...summary }, text };
        }
        const { runExport } = await import('../../export/run-export.js');
        const toStdout = !flags.output || flags.output === '-';
        if (toStdout && context.json)
          throw usageError('--json prints the summary on stdout; give --output FILE for the data.');
        const summary = await runExport(db, {
          format: flags.format,
          filters,
          workers,
          output: toStdout ? context.stdout : flags.output!,
          signal: context.signal,
          logger: context.logger,
        });
        return {
          result: { ...summary },
          ...(toStdout
            ? {}
            : { text: `Exported ${summary.rows} readings to ${summary.output} in ${summary.seconds}s.` }),
        };
      }),
    );
}

import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { action, parseDuration, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';

interface LoadtestFlags {
  rate?: string;
  connections?: string;
  duration: string;
  scenario: string;
  apiKey?: string;
  target?: string;
  threads?: string;
}

export function registerLoadtest(program: Command): void {
  program
    .command('loadtest')
    .description('HTTP load generator with HDR latency percentiles')
    .argument('[url]', 'server to load, e.g. http://127.0.0.1:8000 (omit with --target serve)')
    .option('--rate <r>', 'open model: requests per second at a constant arrival rate (coordinated-omission corrected)')
    .option(
      '--connections <c>',
      'closed model: connections each sending back to back (with --rate: the most sockets used; default 64)',
    )
    .option('--duration <d>', 'how long to send, e.g. 30s, 2m', '30s')
    .option('--scenario <s>', 'ingest, drift, health, or a JSON scenario file', 'ingest')
    .option('--api-key <key>', 'X-API-Key to send (default: SMX_API_KEY)')
    .option(
      '--threads <n>',
      'generator threads sharing the connections and rate, as wrk -t (default 1: on a machine shared with the server, more threads take CPU from it)',
    )
    .option('--target <what>', '"serve": start an smx serve on the configured (default: embedded) database and load it')
    .addHelpText(
      'after',
      '\nExamples:\n  smx loadtest http://127.0.0.1:8000 --rate 2000 --duration 30s --scenario ingest\n  smx loadtest http://127.0.0.1:8000 --connections 64 --scenario health --json\n  smx loadtest --target serve --rate 500 --duration 10s',
    )
    .action(
      action<LoadtestFlags>(async (context, flags, args) => {
        const { runLoadTest } = await import('../../load-test/run-load-test.js');
        const { formatLoadTestReport } = await import('../../load-test/format-report.js');
        if (flags.rate === undefined && flags.connections === undefined)
          throw usageError('Give --rate R (open model) or --connections C (closed model).');
        const rate = flags.rate === undefined ? undefined : Number(flags.rate);
        if (rate !== undefined && !(Number.isFinite(rate) && rate > 0 && rate <= 1_000_000))
          throw usageError(
            `--rate must be a number of requests per second in (0, 1000000]; got ${JSON.stringify(flags.rate)}.`,
          );
        const connections =
          flags.connections === undefined
            ? 64
            : parseIntFlag(flags.connections, '--connections', { min: 1, max: 10_000 });
        const durationMs = parseDuration(flags.duration, '--duration');
        const threads =
          flags.threads === undefined
            ? 1
            : parseIntFlag(flags.threads, '--threads', { min: 1, max: availableParallelism() * 4 });
        if (flags.target !== undefined && flags.target !== 'serve')
          throw usageError(`--target must be "serve"; got ${JSON.stringify(flags.target)}.`);
        let url = args[0];
        let apiKey = flags.apiKey ?? context.config.apiKey;
        if (flags.target === 'serve') {
          if (url) throw usageError('Give either a URL or --target serve, not both.');
          const { startServer } = await import('../../server/start.js');
          // A throwaway key for this run only, accepted like SMX_API_KEY.
          apiKey = `loadtest-${randomBytes(18).toString('base64url')}`;
          const running = await startServer({
            config: context.config,
            logger: context.logger,
            database: await context.database({ poolSize: context.config.serve.poolSize, schema: 'apply' }),
            cache: await context.cache(),
            redis: await context.redis(),
            now: context.now,
            port: 0,
            apiKey,
          });
          context.onRelease(() => running.stop());
          url = running.url;
        }
        if (!url)
          throw usageError(
            'Give the server URL, e.g. smx loadtest http://127.0.0.1:8000 --rate 1000, or --target serve.',
          );
        const report = await runLoadTest({
          url,
          model: rate === undefined ? 'closed' : 'open',
          rate,
          connections,
          durationMs,
          scenario: flags.scenario,
          apiKey,
          threads,
          signal: context.signal,
        });
        return { result: { report }, text: formatLoadTestReport(report) };
      }),
    );
}

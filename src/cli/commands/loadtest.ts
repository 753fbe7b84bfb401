import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { action, parseDuration, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';

interface LoadtestFlags {
  rate?: string;
  connections?: string;
  duration?: string;
  stages?: string;
  scenario: string;
  apiKey?: string;
  target?: string;
  threads?: string;
  threshold: string[];
  interval: string;
  csv?: string;
  report?: string;
  verify: boolean;
  cleanup?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const HELP_AFTER = `
Thresholds (k6's expression style; repeat --threshold; any breach fails the run):
  p50 p90 p95 p99 p99.9 pNN max mean   latency of answered requests: p99<20ms, p(99.9)<0.1s (bare number: ms)
  errors                               requests without a 2xx answer: errors<1% (share) or errors==0 (count)
  rps                                  2xx answers per second: rps>5000
Exit code 1 when a threshold is breached, when no request succeeded (always, thresholds or not),
or when an acknowledged reading is missing from the database; 0 otherwise; 2 for a bad flag.

The ingest scenario writes sensors loadtest-<run>-<thread>-<k>, and checks at the end that every
acknowledged (202) reading is stored when it has the server's database: --target serve, or
SMX_DATABASE_URL / --database-url. --cleanup deletes what the run wrote.

Examples:
  smx loadtest http://127.0.0.1:8000 --rate 2000 --duration 30s --threshold 'p99<20ms' --threshold 'errors<1%'
  smx loadtest http://127.0.0.1:8000 --stages 10s:100,30s:2000,10s:0 --report load.html --csv load.csv
  smx loadtest http://127.0.0.1:8000 --connections 64 --scenario health --threshold 'rps>5000' --json
  smx loadtest --target serve --rate 500 --duration 10s --cleanup`;

export function registerLoadtest(program: Command): void {
  program
    .command('loadtest')
    .description('HTTP load generator: HDR latency percentiles, thresholds that gate CI, an HTML report')
    .argument('[url]', 'server to load, e.g. http://127.0.0.1:8000 (omit with --target serve)')
    .option('--rate <r>', 'open model: requests per second at a constant arrival rate (coordinated-omission corrected)')
    .option(
      '--stages <list>',
      'open model: ramp stages DURATION:RATE,… e.g. 10s:100,30s:2000,10s:0 (from --rate, or 0)',
    )
    .option(
      '--connections <c>',
      'closed model: connections each sending back to back (with --rate/--stages: the most sockets used; default 64)',
    )
    .option('--duration <d>', 'how long to send, e.g. 30s, 2m (default 30s; with --stages: their total)')
    .option('--scenario <s>', 'ingest, drift, health, or a JSON scenario file', 'ingest')
    .option('--api-key <key>', 'X-API-Key to send (default: SMX_API_KEY)')
    .option('--threshold <expr>', "pass/fail gate, repeatable: 'p99<20ms', 'errors<1%', 'rps>5000'", collect, [])
    .option('--interval <d>', 'length of one point of the time series (--json, --csv, --report)', '1s')
    .option('--csv <file>', 'write the per-interval time series as CSV')
    .option(
      '--report <file.html>',
      'write a self-contained HTML report (latency and throughput over time, percentile curve)',
    )
    .option('--no-verify', 'ingest scenario: skip the check that every acknowledged reading is stored')
    .option('--cleanup', 'ingest scenario: delete the readings, hourly rows and sensors the run wrote')
    .option(
      '--threads <n>',
      'generator threads sharing the connections and rate, as wrk -t (default 1: on a machine shared with the server, more threads take CPU from it)',
    )
    .option('--target <what>', '"serve": start an smx serve on the configured (default: embedded) database and load it')
    .addHelpText('after', HELP_AFTER)
    .action(
      action<LoadtestFlags>(async (context, flags, args) => {
        const { runLoadTest } = await import('../../load-test/run-load-test.js');
        const { formatLoadTestReport } = await import('../../load-test/format-report.js');
        const { parseThreshold } = await import('../../load-test/thresholds.js');
        const { parseStages } = await import('../../load-test/arrival-schedule.js');
        // Every flag is checked before anything starts (a server, a database, the load).
        const thresholds = flags.threshold.map(parseThreshold);
        if (flags.rate === undefined && flags.connections === undefined && flags.stages === undefined)
          throw usageError('Give --rate R or --stages (open model), or --connections C (closed model).');
        const rate = flags.rate === undefined ? undefined : Number(flags.rate);
        if (rate !== undefined && !(Number.isFinite(rate) && rate > 0 && rate <= 1_000_000))
          throw usageError(
            `--rate must be a number of requests per second in (0, 1000000]; got ${JSON.stringify(flags.rate)}.`,
          );
        const stages =
          flags.stages === undefined ? undefined : parseStages(flags.stages, (v) => parseDuration(v, '--stages'));
        if (stages && flags.duration !== undefined)
          throw usageError('--stages sets the duration (the sum of its stages); drop --duration.');
        const connections =
          flags.connections === undefined
            ? 64
            : parseIntFlag(flags.connections, '--connections', { min: 1, max: 10_000 });
        const durationMs = stages
          ? stages.reduce((sum, s) => sum + s.durationMs, 0)
          : parseDuration(flags.duration ?? '30s', '--duration');
        const intervalMs = parseDuration(flags.interval, '--interval');
        if (!(intervalMs >= 100))
          throw usageError(`--interval must be at least 100ms; got ${JSON.stringify(flags.interval)}.`);
        const threads =
          flags.threads === undefined
            ? 1
            : parseIntFlag(flags.threads, '--threads', { min: 1, max: availableParallelism() * 4 });
        if (flags.target !== undefined && flags.target !== 'serve')
          throw usageError(`--target must be "serve"; got ${JSON.stringify(flags.target)}.`);
        if (flags.cleanup && flags.scenario !== 'ingest') throw usageError('--cleanup is for the ingest scenario.');
        let url = args[0];
        let apiKey = flags.apiKey ?? context.config.apiKey;
        let database: { db: import('../../db/db.js').Db; displayUrl: string } | undefined;
        if (flags.target === 'serve') {
          if (url) throw usageError('Give either a URL or --target serve, not both.');
          const { startServer } = await import('../../server/start.js');
          // A throwaway key for this run only, accepted like SMX_API_KEY.
          apiKey = `loadtest-${randomBytes(18).toString('base64url')}`;
          const running = await startServer({
            config: context.config,
            logger: context.logger,
            database: await context.database({ poolSize: context.config.serve.poolSize, schema: 'apply' }),
            now: context.now,
            port: 0,
            apiKey,
          });
          context.onRelease(() => running.stop());
          url = running.url;
          database = { db: running.database.db, displayUrl: running.database.displayUrl };
        }
        if (!url)
          throw usageError(
            'Give the server URL, e.g. smx loadtest http://127.0.0.1:8000 --rate 1000, or --target serve.',
          );
        let verificationSkipped: string | undefined;
        if (flags.scenario === 'ingest' && !database) {
          if (context.config.databaseUrl && (flags.verify || flags.cleanup)) {
            const opened = await context.database({ poolSize: 2 });
            database = { db: opened.db, displayUrl: opened.displayUrl };
          } else
            verificationSkipped = flags.verify
              ? "no database configured: set SMX_DATABASE_URL (or --database-url) to the server's database to check every acknowledged reading is stored"
              : '--no-verify';
          if (flags.cleanup && !database)
            throw usageError(
              "--cleanup needs the server's database: set SMX_DATABASE_URL (or --database-url), or use --target serve.",
            );
        }
        const report = await runLoadTest({
          url,
          model: rate === undefined && !stages ? 'closed' : 'open',
          rate,
          stages,
          connections,
          durationMs,
          scenario: flags.scenario,
          apiKey,
          threads,
          intervalMs,
          thresholds,
          database,
          verify: flags.verify,
          verificationSkipped,
          cleanup: Boolean(flags.cleanup),
          signal: context.signal,
        });
        const written: string[] = [];
        if (flags.csv) {
          const { intervalsCsv } = await import('../../load-test/interval-series.js');
          const { writeFileAtomic } = await import('../../integrity/atomic-write.js');
          await writeFileAtomic(path.resolve(flags.csv), intervalsCsv(report.intervals));
          written.push(`time series: ${flags.csv}`);
        }
        if (flags.report) {
          const { renderLoadTestHtml } = await import('../../load-test/report-html.js');
          const { writeFileAtomic } = await import('../../integrity/atomic-write.js');
          await writeFileAtomic(
            path.resolve(flags.report),
            renderLoadTestHtml(report, { generatedAt: new Date().toISOString() }),
          );
          written.push(`HTML report: ${flags.report}`);
        }
        return {
          result: { report, csvPath: flags.csv ?? null, reportPath: flags.report ?? null },
          text: [formatLoadTestReport(report), ...written].join('\n'),
          exitCode: report.passed ? 0 : 1,
        };
      }),
    );
}

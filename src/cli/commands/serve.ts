import type { Command } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP ingest and drift server with API keys, rate limits and metrics')
    .option('--host <host>', 'address to listen on (config serve.host; default 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free one (config serve.port; default 8000)')
    .addHelpText(
      'after',
      [
        '',
        'Endpoints: POST /api/v1/data/ingest, POST /api/v1/ml/check_drift (X-API-Key required),',
        '           GET /health, GET /health/ready, GET /metrics.',
        'Keys: SMX_API_KEY, or stored keys from `smx keys create`. SIGTERM/Ctrl-C stops gracefully.',
        '',
        'Examples:',
        '  smx keys create --name gateway',
        '  smx serve --port 8000',
        '  curl -s localhost:8000/health/ready',
      ].join('\n'),
    )
    .action(
      action<{ host?: string; port?: string }>(async (context, flags) => {
        const { startServer } = await import('../../server/start.js');
        const running = await startServer({
          config: context.config,
          logger: context.logger,
          // A small pool: group commit needs a few connections, not one per request.
          database: await context.database({ poolSize: context.config.serve.poolSize }),
          now: context.now,
          signal: context.signal,
          host: flags.host,
          port: flags.port === undefined ? undefined : parseIntFlag(flags.port, '--port', { min: 0, max: 65535 }),
        });
        context.onRelease(() => running.stop());
        // A reminder for a person at a terminal. Piped, stderr is the JSON log stream alone: the
        // "smx serve listening" line above already carries the url and database for a log collector.
        if (!context.json && process.stderr.isTTY)
          process.stderr.write(
            `smx serve: listening on ${running.url} (database ${running.database.displayUrl}); Ctrl-C stops.\n`,
          );
        await running.stopped;
        return { result: { url: running.url, stopped: true }, text: 'smx serve: stopped cleanly.' };
      }),
    );
}

import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { createRunContext, type RunContext } from '../context.js';
import { ExitCode, SmxError } from '../errors.js';

/** What a command's handler returns: the --json result, the human text, and the exit code (default 0). */
export interface CommandOutcome {
  result: Record<string, unknown>;
  /** Printed on stdout without --json. */
  text?: string;
  exitCode?: number;
}

export type CommandHandler<Options> = (
  context: RunContext,
  options: Options,
  args: string[],
) => Promise<CommandOutcome>;

const exitCodeKey = Symbol('smx.exitCode');

/**
 * The exit code the action of `command` decided (0 when it has not run or
 * returned none). The action leaves it on the command object commander hands
 * back; main() reads it in its postAction hook.
 */
export function actionExitCode(command: Command): number {
  return (command as Command & { [exitCodeKey]?: number })[exitCodeKey] ?? ExitCode.ok;
}

/** The global flags every command accepts (defined once on the program). */
export interface GlobalOptions {
  config?: string;
  databaseUrl?: string;
  redisUrl?: string;
  modelsDir?: string;
  logLevel?: string;
  verbose?: boolean;
  json?: boolean;
  migrate?: boolean;
}

/**
 * Wraps a handler into a commander action: loads config (flags > env > file),
 * builds the logger and run context, wires Ctrl-C/SIGTERM to an AbortSignal,
 * prints the outcome (human or --json) and releases every resource.
 */
export function action<Options extends object>(handler: CommandHandler<Options>, { readConfigFile = true } = {}) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as Options & GlobalOptions;
    const positional = command.args;
    const { config, sources, configPath } = loadConfig({
      configPath: options.config,
      ignoreFile: !readConfigFile,
      flags: {
        databaseUrl: options.databaseUrl,
        redisUrl: options.redisUrl,
        modelsDir: options.modelsDir,
        logLevel: options.logLevel ?? (options.verbose ? 'debug' : undefined),
      },
    });
    const runId = randomUUID();
    const logger = createLogger({
      level: config.logLevel,
      runId,
      pretty: process.stderr.isTTY && !options.json,
    });
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts += 1;
      if (interrupts > 1) {
        // Through the logger (JSON when stderr is not a terminal); its writes to stderr are synchronous.
        logger.error({ signal }, 'interrupted again, exiting now');
        process.exit(ExitCode.interrupted);
      }
      logger.warn({ signal }, 'stopping: finishing the current step cleanly (press Ctrl-C again to force)');
      controller.abort(
        new SmxError('INTERRUPTED', `Interrupted by ${signal}; nothing half-written was kept.`, {
          details: { signal },
        }),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const context = createRunContext({
      config,
      configSources: sources,
      configPath,
      logger,
      signal: controller.signal,
      runId,
      json: Boolean(options.json),
      interactive: process.stdin.isTTY && process.stderr.isTTY && !process.env.CI,
      stdout: process.stdout,
      cwd: process.cwd(),
      autoMigrate: Boolean(options.migrate),
    });
    try {
      const outcome = await handler(context, options, positional);
      const exitCode = outcome.exitCode ?? ExitCode.ok;
      (command as Command & { [exitCodeKey]?: number })[exitCodeKey] = exitCode;
      if (options.json)
        process.stdout.write(JSON.stringify({ ok: exitCode === ExitCode.ok, ...outcome.result }) + '\n');
      else if (outcome.text) process.stdout.write(outcome.text.endsWith('\n') ? outcome.text : outcome.text + '\n');
    } finally {
      await context.releaseAll();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      logger.flush?.();
    }
  };
}

/** Parses "30s", "5m", "2h", "1d" or plain milliseconds into milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match)
    throw new SmxError('USAGE', `${flag} ${JSON.stringify(value)} is not a duration.`, {
      hint: 'Use e.g. 500ms, 30s, 5m, 2h or 1d.',
    });
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms']!;
  return Number(match[1]) * unit;
}

/** Parses a positive integer flag, failing loudly (never a silent NaN). */
export function parseIntFlag(value: string, flag: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new SmxError('USAGE', `${flag} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`);
  }
  return n;
}

/** The "Example(s):" block every command's --help ends with (commander's addHelpText 'after'). */
export function examples(...lines: string[]): string {
  return `\n${lines.length === 1 ? 'Example' : 'Examples'}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

import { Command, CommanderError, Option } from 'commander';
import { isSmxError, ExitCode } from '../errors.js';
import { actionExitCode } from './command-kit.js';
import { registerCommands } from './commands/index.js';

/**
 * The only place that decides the process exit code. Commands return outcomes or
 * throw SmxError; anything else is a bug (exit 70, stack shown with --verbose).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('smx')
    .description('Predictive-maintenance pipelines over sensor time series in PostgreSQL.')
    .version(process.env.npm_package_version ?? (await readVersion()), '-V, --version')
    .option('--config <file>', 'config file (default ./smx.config.json; env SMX_CONFIG)')
    .option(
      '--database-url <url>',
      'PostgreSQL URL (env SMX_DATABASE_URL or DATABASE_URL; default: embedded PostgreSQL)',
    )
    .option(
      '--redis-url <url>',
      'Redis URL (env SMX_REDIS_URL or REDIS_URL; default: none, Postgres-backed equivalents)',
    )
    .option('--models-dir <dir>', 'model registry folder (env SMX_MODELS_DIR; default models)')
    .addOption(
      new Option('--log-level <level>', 'log level (env SMX_LOG_LEVEL)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .option('--verbose', 'debug logs, and stack traces on errors')
    .option('--json', 'print one machine-readable JSON result on stdout')
    .option('--migrate', 'apply pending database migrations before running')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addHelpText(
    'after',
    '\nExample:\n  smx init --yes && smx migrate && smx generate --sensors 10 --days 7 | smx ingest - --format csv\n\nExit codes: 0 ok, 1 check failed, 2 usage/config, 3 bad input, 4 dependency unreachable.',
  );
  registerCommands(program);
  // Remember which (sub)command commander was parsing when it gave up, so the hint
  // names its --help (`smx keys sign-manifest --help`, not the first bare word).
  let failing: Command = program;
  const recordFailure = (command: Command) =>
    command.exitOverride((error) => {
      failing = command;
      throw error;
    });
  const visit = (command: Command): void => {
    recordFailure(command);
    command.commands.forEach(visit);
  };
  visit(program);

  // The exit code the command's action decided, handed back on the command object (command-kit.ts).
  let exitCode: number = ExitCode.ok;
  program.hook('postAction', (_program, actionCommand) => {
    exitCode = actionExitCode(actionCommand);
  });

  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, `smx help [cmd]` and --version are answers (exit 0); help printed because
      // no (sub)command was given (`smx`, `smx data`) is commander's exitCode 1: a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      // commander already printed its message on stderr; add where to look.
      const names: string[] = [];
      for (let c: Command | null = failing; c && c !== program; c = c.parent) names.unshift(c.name());
      const help = ['smx', ...names, '--help'].join(' ');
      if (json) {
        const message = error.message.replace(/^error: /, '');
        process.stdout.write(
          JSON.stringify({
            ok: false,
            error: { code: 'USAGE', exitCode: ExitCode.usage, message, hint: `Run \`${help}\`.` },
          }) + '\n',
        );
      }
      process.stderr.write(`Run \`${help}\`.\n`);
      return ExitCode.usage;
    }
    if (isSmxError(error)) {
      if (json) process.stdout.write(JSON.stringify({ ok: false, error: error.toJSON() }) + '\n');
      process.stderr.write(`smx: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
      if (verbose && error.stack) process.stderr.write(error.stack + '\n');
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (json)
      process.stdout.write(
        JSON.stringify({ ok: false, error: { code: 'INTERNAL', exitCode: ExitCode.internal, message } }) + '\n',
      );
    process.stderr.write(
      `smx: unexpected error: ${message}\n  This is a bug in smx; run again with --verbose and report the output.\n`,
    );
    if (verbose && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
    return ExitCode.internal;
  }
}

async function readVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const { packageRoot } = await import('../package-root.js');
  return (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;
}

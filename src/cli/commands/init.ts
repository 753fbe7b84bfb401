import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../command-kit.js';
import type { InitChoices } from '../../config/init-config.js';
import { SmxError } from '../../errors.js';
import { redactConfig } from '../../config/redact.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write smx.config.json: a short wizard on a terminal, defaults with --yes or without one')
    .option('-y, --yes', 'write defaults without asking (embedded PostgreSQL, no Redis, models/)')
    .option('--force', 'overwrite an existing smx.config.json')
    .addHelpText(
      'after',
      '\nExamples:\n  smx init            # asks: database, Redis, models folder (each tested live)\n  smx init --yes      # defaults, for scripts and CI',
    )
    .action(
      action<{ yes?: boolean; force?: boolean; config?: string }>(
        async (context, options) => {
          // Imported here: it pulls in pg and ioredis, which `smx --help` does not need.
          const { writeConfigFile } = await import('../../config/init-config.js');
          // The file it writes: --config / SMX_CONFIG, else ./smx.config.json. It is not read
          // first, so init can create a missing --config file and --force can replace a broken one.
          const file = path.resolve(context.cwd, options.config ?? process.env.SMX_CONFIG ?? 'smx.config.json');
          const choices = options.yes || !context.interactive || context.json ? {} : await askChoices();
          const written = await writeConfigFile(file, choices, { overwrite: Boolean(options.force) });
          return {
            result: { file, config: redactConfig(written as never) },
            text: `wrote ${file}\nnext: smx migrate`,
          };
        },
        { readConfigFile: false },
      ),
    );
}

type Prompts = typeof import('@clack/prompts');

async function askChoices(): Promise<InitChoices> {
  const prompts = await import('@clack/prompts');
  const { probeRedis } = await import('../../config/init-config.js');
  const { probePostgres } = await import('../../db/probe-postgres.js');
  prompts.intro('smx init');
  const choices: InitChoices = {};
  const database = orStop(
    prompts,
    await prompts.select({
      message: 'Database',
      options: [
        { value: 'embedded', label: 'Embedded PostgreSQL', hint: 'started by smx in .smx/postgres' },
        { value: 'url', label: 'A PostgreSQL URL' },
      ],
    }),
  );
  if (database === 'url')
    choices.databaseUrl = await askWorkingUrl(
      prompts,
      'PostgreSQL URL',
      'postgres://user@127.0.0.1:5432/smx',
      /^postgres(ql)?:\/\//,
      probePostgres,
    );
  const redis = orStop(
    prompts,
    await prompts.select({
      message: 'Redis',
      options: [
        { value: 'none', label: 'None', hint: 'Postgres-backed idempotency, events and locks' },
        { value: 'url', label: 'A Redis URL' },
      ],
    }),
  );
  if (redis === 'url')
    choices.redisUrl = await askWorkingUrl(prompts, 'Redis URL', 'redis://127.0.0.1:6379', /^rediss?:\/\//, probeRedis);
  choices.modelsDir = String(
    orStop(prompts, await prompts.text({ message: 'Models folder', initialValue: 'models' })) || 'models',
  );
  prompts.outro('writing smx.config.json');
  return choices;
}

function orStop<T>(prompts: Prompts, value: T | symbol): T {
  if (prompts.isCancel(value)) throw new SmxError('INTERRUPTED', 'smx init cancelled; nothing was written.');
  return value as T;
}

/** Asks until the URL answers for real (the wizard tests each connection live). */
async function askWorkingUrl(
  prompts: Prompts,
  message: string,
  placeholder: string,
  shape: RegExp,
  probe: (url: string) => Promise<string | undefined>,
): Promise<string> {
  for (;;) {
    const url = String(
      orStop(
        prompts,
        await prompts.text({
          message,
          placeholder,
          validate: (v) => (shape.test(v ?? '') ? undefined : `must look like ${placeholder}`),
        }),
      ),
    );
    const spinner = prompts.spinner();
    spinner.start('connecting');
    const problem = await probe(url);
    spinner.stop(problem ? `could not connect: ${problem}` : 'connected');
    if (!problem) return url;
  }
}

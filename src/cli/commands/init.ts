import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { probePostgres, probeRedis, writeConfigFile, type InitChoices } from '../../config/init-config.js';
import { SmxError } from '../../errors.js';
import { redactConfig } from '../../config/redact.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write smx.config.json: a short wizard on a terminal, defaults with --yes or without one')
    .option('-y, --yes', 'write defaults without asking (embedded PostgreSQL, no Redis, models/)')
    .option('--force', 'overwrite an existing smx.config.json')
    .addHelpText('after', '\nExamples:\n  smx init            # asks: database, Redis, models folder (each tested live)\n  smx init --yes      # defaults, for scripts and CI')
    .action(action<{ yes?: boolean; force?: boolean }>(async (context, options) => {
      const file = context.configPath ?? path.join(context.cwd, 'smx.config.json');
      const choices = options.yes || !context.interactive || context.json ? {} : await askChoices();
      const written = writeConfigFile(file, choices, { overwrite: Boolean(options.force) });
      return {
        result: { file, config: redactConfig(written as never) },
        text: `wrote ${file}\nnext: smx migrate`,
      };
    }));
}

async function askChoices(): Promise<InitChoices> {
  const prompts = await import('@clack/prompts');
  const cancelled = (value: unknown): value is symbol => prompts.isCancel(value);
  const stop = () => { throw new SmxError('INTERRUPTED', 'smx init cancelled; nothing was written.'); };
  prompts.intro('smx init');
  const choices: InitChoices = {};

  const database = await prompts.select({ message: 'Database', options: [
    { value: 'embedded', label: 'Embedded PostgreSQL', hint: 'started by smx in .smx/postgres' },
    { value: 'url', label: 'A PostgreSQL URL' },
  ] });
  if (cancelled(database)) stop();
  if (database === 'url') {
    for (;;) {
      const url = await prompts.text({ message: 'PostgreSQL URL', placeholder: 'postgres://user@127.0.0.1:5432/smx', validate: (v) => (/^postgres(ql)?:\/\//.test(v ?? '') ? undefined : 'must start with postgres://') });
      if (cancelled(url)) stop();
      const spinner = prompts.spinner();
      spinner.start('connecting');
      const problem = await probePostgres(String(url));
      spinner.stop(problem ? `could not connect: ${problem}` : 'connected');
      if (!problem) { choices.databaseUrl = String(url); break; }
    }
  }

  const redis = await prompts.select({ message: 'Redis', options: [
    { value: 'none', label: 'None', hint: 'Postgres-backed idempotency, events and locks' },
    { value: 'url', label: 'A Redis URL' },
  ] });
  if (cancelled(redis)) stop();
  if (redis === 'url') {
    for (;;) {
      const url = await prompts.text({ message: 'Redis URL', placeholder: 'redis://127.0.0.1:6379', validate: (v) => (/^rediss?:\/\//.test(v ?? '') ? undefined : 'must start with redis://') });
      if (cancelled(url)) stop();
      const spinner = prompts.spinner();
      spinner.start('connecting');
      const problem = await probeRedis(String(url));
      spinner.stop(problem ? `could not connect: ${problem}` : 'connected');
      if (!problem) { choices.redisUrl = String(url); break; }
    }
  }

  const modelsDir = await prompts.text({ message: 'Models folder', initialValue: 'models' });
  if (cancelled(modelsDir)) stop();
  choices.modelsDir = String(modelsDir || 'models');
  prompts.outro('writing smx.config.json');
  return choices;
}

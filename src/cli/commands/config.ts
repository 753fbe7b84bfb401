import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { redactConfig } from '../../config/redact.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('show the effective configuration and where each value came from (secrets masked)')
    .addHelpText('after', '\nExample:\n  SMX_LOG_LEVEL=debug smx config --json')
    .action(
      action(async (context) => {
        const shown = redactConfig(context.config);
        const lines = Object.entries(shown).map(
          ([key, value]) => `${key} = ${JSON.stringify(value)}  (${context.configSources[key] ?? 'default'})`,
        );
        return {
          result: { config: shown, sources: context.configSources, file: context.configPath ?? null },
          text: lines.join('\n'),
        };
      }),
    );
}

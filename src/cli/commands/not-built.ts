import type { Command } from 'commander';
import { SmxError } from '../../errors.js';

/** A command that is part of the toolkit but not built yet: it says so and exits 2. */
export function registerNotBuilt(program: Command, name: string, summary: string, issue: string): void {
  program
    .command(name)
    .description(`${summary} (not built yet)`)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .action(() => {
      throw new SmxError('NOT_BUILT', `\`smx ${name}\` is not built yet; it is planned in ${issue}.`, {
        hint: 'See README.md for the commands available today.',
      });
    });
}

import type { Command } from 'commander';
import { action, examples } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { registerKeySigningCommands } from './keys-sign.js';

const iso = (d: Date | null) => (d ? d.toISOString() : '');

/** `smx keys create|list|revoke` (API keys); `sign-manifest` and `gen-signing-key` come from keys-sign.ts. */
export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('create, list and revoke API keys; sign the models manifest')
    .addHelpText(
      'after',
      '\nExamples:\n  smx keys create --name line-3-gateway   # the key is shown once\n  smx keys list\n  smx keys revoke smx_1a2b3c4d',
    );

  keys
    .command('create')
    .description('create an API key for `smx serve`; it is printed once and only its SHA-256 is stored')
    .addHelpText('after', examples('smx keys create --name line-3-gateway'))
    .requiredOption('--name <name>', 'what the key is for (shown in listings)')
    .action(
      action<{ name: string }>(async (context, flags) => {
        const { createApiKey } = await import('../../api-keys/api-key-store.js');
        const { db } = await context.database();
        const created = await createApiKey(db, flags.name);
        return {
          result: {
            id: created.id,
            name: created.name,
            prefix: created.prefix,
            key: created.key,
            createdAt: created.createdAt,
          },
          text: `Created API key ${created.prefix} (${created.name}). Store it now; it is not shown again:\n\n  ${created.key}\n\nUse it as: curl -H "X-API-Key: ${created.key}" …`,
        };
      }),
    );

  keys
    .command('list')
    .description('list API keys (prefix, name, created, last used, revoked); never the keys themselves')
    .addHelpText('after', examples('smx keys list --active'))
    .option('--active', 'only keys that are not revoked')
    .action(
      action<{ active?: boolean }>(async (context, flags) => {
        const { listApiKeys } = await import('../../api-keys/api-key-store.js');
        const { db } = await context.database();
        const list = await listApiKeys(db, { includeRevoked: !flags.active });
        const rows = list.map((k) => [
          k.id,
          k.prefix,
          k.name,
          iso(k.createdAt),
          iso(k.lastUsedAt),
          k.revokedAt ? `revoked ${iso(k.revokedAt)}` : 'active',
        ]);
        return {
          result: { keys: list },
          text: list.length
            ? renderTable(['id', 'prefix', 'name', 'created', 'last used', 'state'], rows)
            : 'No API keys yet; create one with `smx keys create --name NAME`.',
        };
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key by id or prefix; requests with it get 403 (within 5 s on running servers)')
    .addHelpText('after', examples('smx keys revoke smx_1a2b3c4d'))
    .argument('<key>', 'the key id, its prefix (smx_xxxxxxxx) or the full key')
    .action(
      action(async (context, _flags, args) => {
        const { revokeApiKey } = await import('../../api-keys/api-key-store.js');
        const { db } = await context.database();
        const revoked = await revokeApiKey(db, args[0]!);
        return {
          result: { id: revoked.id, prefix: revoked.prefix, name: revoked.name, revokedAt: revoked.revokedAt },
          text: `Revoked API key ${revoked.prefix} (${revoked.name}) at ${iso(revoked.revokedAt)}.`,
        };
      }),
    );

  registerKeySigningCommands(keys);
}

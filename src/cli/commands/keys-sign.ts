import path from 'node:path';
import { access, chmod, readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { usageError } from '../../errors.js';

/**
 * Adds `keys sign-manifest` and `keys gen-signing-key` to the `keys` command
 * (whose create/list/revoke subcommands for API keys live in keys.ts).
 */
export function registerKeySigningCommands(keys: Command): void {
  keys
    .command('sign-manifest')
    .description('sign models/MANIFEST.sha256 with an Ed25519 private key (writes MANIFEST.sha256.sig)')
    .requiredOption('--key <pem>', 'Ed25519 private key in PEM (from `smx keys gen-signing-key`)')
    .addHelpText(
      'after',
      '\nExamples:\n  smx keys sign-manifest --key ~/.smx/ed25519.pem\n  smx validate-hashes --public-key keys/manifest.pub.pem',
    )
    .action(
      action<{ key: string }>(async (context, flags) => {
        const keyPath = path.resolve(context.cwd, flags.key);
        const pem = await readFile(keyPath).catch((error: unknown) => {
          throw usageError(`cannot read --key ${flags.key}: ${(error as Error).message}`);
        });
        const { signManifest } = await import('../../integrity/sign-manifest.js');
        const modelsDir = path.resolve(context.cwd, context.config.modelsDir);
        const signed = await signManifest(modelsDir, pem, flags.key);
        const shown = path.join(context.config.modelsDir, 'MANIFEST.sha256.sig');
        return {
          result: { signature: shown, keyId: signed.keyId, manifestBytes: signed.manifestBytes },
          text: `Signed ${path.join(context.config.modelsDir, 'MANIFEST.sha256')} with key ${signed.keyId}: wrote ${shown}.`,
        };
      }),
    );

  keys
    .command('gen-signing-key')
    .description('create an Ed25519 key pair for signing the models manifest')
    .requiredOption('--out <pem>', 'private key file to write (mode 0600); the public key goes to <name>.pub.pem')
    .option('--force', 'overwrite existing key files')
    .addHelpText(
      'after',
      '\nExample:\n  smx keys gen-signing-key --out ~/.smx/ed25519.pem   # commit only ed25519.pub.pem',
    )
    .action(
      action<{ out: string; force?: boolean }>(async (context, flags) => {
        const privatePath = path.resolve(context.cwd, flags.out);
        const publicPath = privatePath.replace(/(\.pem)?$/, '.pub.pem');
        for (const file of [privatePath, publicPath]) {
          const exists = await access(file).then(
            () => true,
            () => false,
          );
          if (exists && !flags.force) throw usageError(`${file} already exists; pass --force to overwrite it.`);
        }
        const { generateSigningKeyPair } = await import('../../integrity/manifest-signature.js');
        const pair = generateSigningKeyPair();
        await writeFile(privatePath, pair.privatePem, { mode: 0o600 });
        await chmod(privatePath, 0o600); // --force over an existing file keeps its old mode otherwise
        await writeFile(publicPath, pair.publicPem, { mode: 0o644 });
        return {
          result: { privateKey: privatePath, publicKey: publicPath, keyId: pair.keyId },
          text: `Wrote ${privatePath} (private, keep it secret) and ${publicPath} (public; commit it for CI). Key id ${pair.keyId}.`,
        };
      }),
    );
}

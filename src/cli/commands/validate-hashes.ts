import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';

interface ValidateFlags {
  update?: boolean;
  publicKey?: string;
  jobs?: string;
}

export function registerValidateHashes(program: Command): void {
  program
    .command('validate-hashes')
    .description('check models/ against MANIFEST.sha256 (and its signature); exit 1 on any finding')
    .option('--update', 'rewrite MANIFEST.sha256 from the files on disk, after showing what changes')
    .option('--public-key <pem>', 'also verify MANIFEST.sha256.sig with this Ed25519 public key')
    .option('--jobs <n>', 'files hashed in parallel (default: CPU count)')
    .addHelpText(
      'after',
      [
        '',
        'The manifest is `sha256sum` output with paths relative to the models folder, so',
        '`cd models && sha256sum -c MANIFEST.sha256` agrees. smx also reports unlisted files,',
        'symlinks, unsafe or duplicate lines and registered versions without feature_names.txt',
        'or metrics.json. Exit codes: 0 clean, 1 a finding, 2 usage.',
        '',
        'Examples:',
        '  smx validate-hashes',
        '  smx validate-hashes --models-dir models --public-key keys/manifest.pub.pem --json',
        '  smx validate-hashes --update',
      ].join('\n'),
    )
    .action(
      action<ValidateFlags>(async (context, flags) => {
        const modelsDir = path.resolve(context.cwd, context.config.modelsDir);
        const shown = context.config.modelsDir;
        const concurrency =
          flags.jobs === undefined ? undefined : parseIntFlag(flags.jobs, '--jobs', { min: 1, max: 256 });
        const { renderFinding, displayPath } = await import('../../integrity/findings.js');
        if (flags.update) {
          if (flags.publicKey)
            throw usageError(
              '--update rewrites the manifest, so it cannot verify the old signature; run --public-key in a separate check.',
            );
          const { updateManifest } = await import('../../integrity/update-manifest.js');
          const diff = await updateManifest(modelsDir, { signal: context.signal, concurrency });
          const lines = [
            `${diff.written ? 'Updated' : diff.added.length + diff.removed.length + diff.changed.length ? 'Not written:' : 'Unchanged:'} ${path.join(shown, 'MANIFEST.sha256')}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged.`,
            ...diff.added.map((p) => `  + ${displayPath(p)}`),
            ...diff.removed.map((p) => `  - ${displayPath(p)}`),
            ...diff.changed.map((p) => `  ~ ${displayPath(p)}`),
            ...(diff.signatureStale
              ? [
                  'The signature MANIFEST.sha256.sig no longer matches: re-sign with `smx keys sign-manifest --key KEY.pem`.',
                ]
              : []),
            ...diff.remaining.map(renderFinding),
            ...(diff.remaining.length ? [`FAIL: ${diff.remaining.length} finding(s) a new manifest cannot fix.`] : []),
          ];
          return {
            result: { ...diff, manifest: path.join(shown, 'MANIFEST.sha256') },
            text: lines.join('\n'),
            exitCode: diff.remaining.length ? 1 : 0,
          };
        }
        const publicKey =
          flags.publicKey === undefined
            ? undefined
            : await readFile(path.resolve(context.cwd, flags.publicKey)).catch((error: unknown) => {
                throw usageError(`cannot read --public-key ${flags.publicKey}: ${(error as Error).message}`);
              });
        const { validateModels } = await import('../../integrity/validate-models.js');
        const report = await validateModels(modelsDir, { publicKey, signal: context.signal, concurrency });
        const { ok: _ok, ...rest } = report;
        const c = report.counts;
        const signature =
          report.signature.status === 'verified'
            ? `; signature verified (key ${report.signature.keyId})`
            : report.signature.status === 'present-not-checked'
              ? '; signature present, not checked (pass --public-key)'
              : '';
        const summary = `${path.join(shown, 'MANIFEST.sha256')}: ${c.listed} listed, ${c.hashed} hashed (${formatBytes(c.bytes)}), ${c.files} files on disk, ${c.versions} registered version(s)${signature}`;
        const verdict = report.ok
          ? 'OK: every file matches the manifest.'
          : `FAIL: ${report.findings.length} finding(s).`;
        return {
          result: { ...rest, modelsDir: shown, manifest: path.join(shown, 'MANIFEST.sha256') },
          text: [summary, ...report.findings.map(renderFinding), verdict].join('\n'),
          exitCode: report.ok ? 0 : 1,
        };
      }),
    );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

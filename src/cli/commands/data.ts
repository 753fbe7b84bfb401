import path from 'node:path';
import type { Command } from 'commander';
import { action, examples } from '../command-kit.js';
import type { RunContext } from '../../context.js';
import { SmxError, usageError } from '../../errors.js';

interface RemoteFlags {
  remote?: string;
}

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('DVC-compatible data status, add, pull and push (DVC 3 hashes, local remotes)')
    .addHelpText(
      'after',
      '\nExamples:\n  smx data add data/\n  smx data status\n  smx data push --remote /mnt/dvc-remote\n  smx data pull --remote /mnt/dvc-remote',
    );

  data
    .command('status [target]')
    .description("recompute the tracked folder's DVC hash and list the files that changed (exit 1 when anything did)")
    .addHelpText('after', examples('smx data status', 'smx data status data.dvc --remote /mnt/dvc-remote --json'))
    .option('--remote <dir>', 'local remote holding the recorded listing, for per-file changes')
    .action(
      action<RemoteFlags>(async (context, flags, args) => {
        const dvcFile = path.resolve(context.cwd, args[0] ?? 'data.dvc');
        const { dataStatus } = await import('../../dvc/data-status.js');
        const roots = await listingRoots(context, dvcFile, flags.remote);
        const status = await dataStatus(dvcFile, { listingRoots: roots.all, signal: context.signal });
        const relative = path.relative(context.cwd, status.dataDir);
        const shownDir = relative.startsWith('..') ? status.dataDir : relative || '.';
        const lines: string[] = [];
        if (status.state === 'missing') lines.push(`${shownDir}/ is missing: run \`smx data pull\`.`);
        else if (status.state === 'up-to-date')
          lines.push(
            `${shownDir}/ matches ${path.basename(dvcFile)} (${status.current!.nfiles} files, ${status.current!.size} bytes, ${status.recorded.md5}).`,
          );
        else {
          lines.push(
            `${shownDir}/ changed since ${path.basename(dvcFile)}: recorded ${status.recorded.md5} (${status.recorded.nfiles ?? '?'} files), now ${status.current!.md5} (${status.current!.nfiles} files).`,
          );
          if (status.changes) {
            lines.push(
              ...status.changes.added.map((p) => `  added:    ${p}`),
              ...status.changes.deleted.map((p) => `  deleted:  ${p}`),
              ...status.changes.modified.map((p) => `  modified: ${p}`),
            );
          } else {
            lines.push(
              '  (the recorded listing is in no cache or remote here, so the changed files cannot be named; pass --remote)',
            );
          }
        }
        lines.push(...status.oddities.map((o) => `  NOT TRACKED ${o.relpath}: ${o.message}`));
        if (status.formatNote) lines.push(`note: ${status.formatNote}`);
        const clean = status.state === 'up-to-date' && status.oddities.length === 0;
        return { result: { ...status }, text: lines.join('\n'), exitCode: clean ? 0 : 1 };
      }),
    );

  data
    .command('add <dir>')
    .description('hash a folder as DVC 3 does and write <dir>.dvc beside it')
    .addHelpText('after', examples('smx data add data/'))
    .option('--file <dvc>', 'write this .dvc file instead of <dir>.dvc')
    .action(
      action<{ file?: string }>(async (context, flags, args) => {
        const dir = path.resolve(context.cwd, args[0]!);
        const dvcFile = flags.file ? path.resolve(context.cwd, flags.file) : undefined;
        const { addDataDir } = await import('../../dvc/data-add.js');
        const roots = await listingRoots(context, dvcFile ?? dir, undefined);
        const added = await addDataDir(dir, { dvcFile, listingRoot: roots.local, signal: context.signal });
        const changed =
          added.previousMd5 === undefined
            ? 'created'
            : added.previousMd5 === added.md5
              ? 'unchanged'
              : `updated (was ${added.previousMd5})`;
        return {
          result: { ...added },
          text: `${path.relative(context.cwd, added.dvcFile)} ${changed}: ${added.nfiles} files, ${added.size} bytes, ${added.md5}.\nCommit it with git; keep /${path.basename(dir)} in .gitignore; push the files with \`smx data push --remote DIR\`.`,
        };
      }),
    );

  for (const verb of ['push', 'pull'] as const) {
    data
      .command(`${verb} [target]`)
      .description(
        verb === 'push'
          ? 'copy the tracked files to a DVC local remote (files/md5/ab/cdef…)'
          : 'fetch the tracked files from a DVC local remote, verifying each md5',
      )
      .option('--remote <dir>', 'local remote folder (default: the default remote in .dvc/config, when local)')
      .addHelpText(
        'after',
        examples(
          `smx data ${verb} --remote /mnt/dvc-remote`,
          `smx data ${verb} data.dvc --json   # the default remote from .dvc/config`,
        ),
      )
      .action(
        action<RemoteFlags>(async (context, flags, args) => {
          const dvcFile = path.resolve(context.cwd, args[0] ?? 'data.dvc');
          const roots = await listingRoots(context, dvcFile, flags.remote);
          if (!roots.remote)
            throw usageError(`smx data ${verb} needs --remote DIR (no local default remote in .dvc/config).`);
          if (verb === 'push') {
            const { pushData } = await import('../../dvc/data-transfer.js');
            const pushed = await pushData(dvcFile, roots.remote, { signal: context.signal });
            return {
              result: { ...pushed },
              text: `Pushed ${pushed.copied} file(s) (${pushed.bytes} bytes) to ${pushed.remote}; ${pushed.present} already there.`,
            };
          }
          const { pullData } = await import('../../dvc/data-transfer.js');
          const pulled = await pullData(dvcFile, roots.remote, { signal: context.signal, listingRoot: roots.local });
          const lines = [
            `Pulled ${pulled.copied} file(s) (${pulled.bytes} bytes) from ${pulled.remote}; ${pulled.present} already up to date.`,
            ...pulled.failed.map((f) => `  FAILED ${f.relpath}: ${f.message}`),
            ...pulled.extra.map((p) => `  not in ${path.basename(dvcFile)} (left in place): ${p}`),
          ];
          return { result: { ...pulled }, text: lines.join('\n'), exitCode: pulled.failed.length ? 1 : 0 };
        }),
      );
  }
}

/** Where `.dir` listings are looked up and kept: the remote, the DVC cache (.dvc/cache) if this is a DVC project, else smx's state folder. */
async function listingRoots(
  context: RunContext,
  near: string,
  remoteFlag: string | undefined,
): Promise<{ all: string[]; local: string; remote?: string }> {
  const { findDvcRoot, defaultLocalRemote } = await import('../../dvc/dvc-config.js');
  const dvcRoot = await findDvcRoot(path.dirname(near));
  const local = dvcRoot
    ? path.join(dvcRoot, '.dvc', 'cache')
    : path.resolve(context.cwd, context.config.stateDir, 'dvc-cache');
  const remote = remoteFlag
    ? path.resolve(context.cwd, remoteFlag)
    : dvcRoot
      ? await defaultLocalRemote(dvcRoot)
      : undefined;
  if (remoteFlag === '') throw new SmxError('USAGE', '--remote needs a folder');
  return { all: [...(remote ? [remote] : []), local], local, remote };
}

import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from '../errors.js';
import { collectDataDir } from './collect-data-dir.js';
import { readDvcFile, writeDvcFile } from './dvc-file.js';
import { objectPath } from './object-store.js';

export interface AddResult {
  dvcFile: string;
  md5: string;
  size: number;
  nfiles: number;
  previousMd5?: string;
  /** The .dvc file's text as written. */
  text: string;
}

/**
 * `dvc add DIR` without Python: hashes the folder, writes `<DIR>.dvc` beside it
 * (or `dvcFile`) in DVC 3 format and keeps the `.dir` listing in `listingRoot`
 * (a DVC cache), so `smx data status` can later name the files that changed.
 */
export async function addDataDir(
  dir: string,
  options: { dvcFile?: string; listingRoot?: string; signal?: AbortSignal } = {},
): Promise<AddResult> {
  const dataDir = path.resolve(dir);
  const dvcFile = path.resolve(options.dvcFile ?? `${dataDir}.dvc`);
  const collected = await collectDataDir(dataDir, { signal: options.signal });
  if (collected.oddities.length) {
    const list = collected.oddities
      .slice(0, 10)
      .map((o) => `${o.relpath}: ${o.message}`)
      .join('; ');
    throw inputError(
      `${dir} holds ${collected.oddities.length} entr${collected.oddities.length === 1 ? 'y' : 'ies'} smx will not track: ${list}`,
      { hint: 'Replace symlinks with the files themselves and remove FIFOs, sockets and non-UTF-8 names.' },
    );
  }
  const previous = await access(dvcFile).then(
    () => readDvcFile(dvcFile),
    () => undefined,
  );
  const relative = path.relative(path.dirname(dvcFile), dataDir).split(path.sep).join('/') || '.';
  const text = await writeDvcFile(
    dvcFile,
    { md5: collected.md5, size: collected.size, nfiles: collected.nfiles, hash: 'md5', path: relative },
    previous?.raw,
  );
  if (options.listingRoot) {
    const target = objectPath(options.listingRoot, collected.md5);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, collected.listing);
  }
  return {
    dvcFile,
    md5: collected.md5,
    size: collected.size,
    nfiles: collected.nfiles,
    previousMd5: previous?.out.md5,
    text,
  };
}

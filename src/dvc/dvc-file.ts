import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { inputError, notFoundError } from '../errors.js';
import { writeFileAtomic } from '../integrity/atomic-write.js';

/** The first `outs` entry of a .dvc file, for a tracked folder. */
export interface DvcOut {
  md5: string;
  size?: number;
  nfiles?: number;
  /** "md5" in DVC 3 files; absent in DVC 2 files (whose hashes normalised CRLF in text files). */
  hash?: string;
  path: string;
}

export interface DvcFile {
  file: string;
  out: DvcOut;
  /** The tracked folder, resolved against the .dvc file's folder. */
  dataDir: string;
  /** Everything else in the file (meta, desc, other outs), kept on rewrite. */
  raw: Record<string, unknown>;
}

export async function readDvcFile(file: string): Promise<DvcFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT')
      throw notFoundError(`${file} not found`, { hint: 'Track a folder first: smx data add data/' });
    throw error;
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw inputError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const outs = (raw as { outs?: unknown } | null)?.outs;
  const out = Array.isArray(outs) ? (outs[0] as Record<string, unknown> | undefined) : undefined;
  if (!out || typeof out.md5 !== 'string' || typeof out.path !== 'string')
    throw inputError(`${file} has no outs entry with md5 and path`);
  if (path.isAbsolute(out.path) || out.path.split(/[/\\]/).includes('..'))
    throw inputError(
      `${file} tracks ${JSON.stringify(out.path)}, outside its folder; smx only handles folders beside the .dvc file`,
    );
  return {
    file,
    out: {
      md5: out.md5,
      size: num(out.size),
      nfiles: num(out.nfiles),
      hash: typeof out.hash === 'string' ? out.hash : undefined,
      path: out.path,
    },
    dataDir: path.join(path.dirname(file), out.path),
    raw: raw as Record<string, unknown>,
  };
}

/**
 * Writes a DVC 3 .dvc file: `outs: [{md5, size, nfiles, hash: md5, path}]` in
 * DVC's key order and sequence style, keeping any other keys the old file had.
 */
export async function writeDvcFile(
  file: string,
  out: Required<DvcOut>,
  previous?: Record<string, unknown>,
): Promise<string> {
  const oldOuts = Array.isArray(previous?.outs) ? (previous.outs as Array<Record<string, unknown>>) : [];
  const { md5: _m, size: _s, nfiles: _n, hash: _h, path: _p, ...extra } = oldOuts[0] ?? {};
  const document = {
    ...previous,
    outs: [
      { md5: out.md5, size: out.size, nfiles: out.nfiles, hash: out.hash, path: out.path, ...extra },
      ...oldOuts.slice(1),
    ],
  };
  const text = stringify(document, { indentSeq: false, lineWidth: 0 });
  await writeFileAtomic(file, text);
  return text;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

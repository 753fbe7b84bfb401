import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { notFoundError } from '../../../errors.js';
import { hashFileSync } from '../../../integrity/hash-file.js';
import { interpolate } from '../../../pipeline/interpolate.js';
import type { StageContext } from '../../../pipeline/stage.js';

/**
 * Turns a source's file entries into concrete files: `${VAR:-default}`
 * expansion, paths relative to the working directory, `*` / `?` globs in the
 * file-name part (sorted naturally, so 2.csv comes before 10.csv). A path that
 * matches nothing is an error naming the path as written and as resolved.
 */
export interface FileEntrySpec {
  path: string;
  label?: number | undefined;
  constants?: Record<string, number | string> | undefined;
  groupValues?: { column: string; path: string } | undefined;
}

export interface ResolvedFile {
  /** Absolute path. */
  file: string;
  /** Path as shown to people: relative to the working directory. */
  display: string;
  /** `<folder>/<file>`, e.g. valve1/3.csv: the group name of its rows. */
  group: string;
  label: number | undefined;
  constants: Record<string, number | string>;
  /** A file of one value per group of this file (absolute path), added as `column`. */
  groupValues?: { column: string; file: string; display: string };
}

export function resolveFiles(entries: readonly FileEntrySpec[], context: StageContext): ResolvedFile[] {
  const out: ResolvedFile[] = [];
  for (const entry of entries) {
    const expanded = interpolate(entry.path, context.env);
    const absolute = path.resolve(context.cwd, expanded);
    const groupValues = entry.groupValues && resolveOne(entry.groupValues.path, context);
    const dir = path.dirname(absolute);
    const base = path.basename(absolute);
    let files: string[];
    if (/[*?]/.test(base)) {
      const re = new RegExp(
        '^' +
          base
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.') +
          '$',
      );
      files = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => re.test(f))
            .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
            .map((f) => path.join(dir, f))
        : [];
    } else {
      files = existsSync(absolute) && statSync(absolute).isFile() ? [absolute] : [];
    }
    if (files.length === 0) {
      throw notFoundError(`Data file ${expanded} not found (resolved to ${absolute}).`, {
        hint: entry.path.includes('SMX_SHARED_DIR')
          ? 'The shared datasets are expected in ../shared beside the checkout; set SMX_SHARED_DIR to where they are.'
          : 'Check the path in the pipeline file; relative paths are resolved from the working directory.',
        details: { path: expanded, resolved: absolute },
      });
    }
    for (const file of files) {
      out.push({
        file,
        display: path.relative(context.cwd, file) || file,
        group: `${path.basename(path.dirname(file))}/${path.basename(file)}`,
        label: entry.label,
        constants: entry.constants ?? {},
        ...(groupValues ? { groupValues: { column: entry.groupValues!.column, ...groupValues } } : {}),
      });
    }
  }
  return out;
}

/** A single named file (no glob), e.g. a truth file beside a data file. */
function resolveOne(entryPath: string, context: StageContext): { file: string; display: string } {
  const expanded = interpolate(entryPath, context.env);
  const file = path.resolve(context.cwd, expanded);
  if (!existsSync(file) || !statSync(file).isFile())
    throw notFoundError(`Data file ${expanded} not found (resolved to ${file}).`, {
      hint: 'Check groupValues.path in the pipeline file; relative paths are resolved from the working directory.',
      details: { path: expanded, resolved: file },
    });
  return { file, display: path.relative(context.cwd, file) || file };
}

/** A data file's SHA-256, streamed (integrity's hasher: constant memory whatever the file's size). */
export function sha256File(file: string): string {
  return hashFileSync(file, 'sha256').digest;
}

/** The source's data hash covers each file's group name, content and label, not where the file lives. */
export function fingerprintFiles(files: readonly ResolvedFile[]): { hash: string; dataHashes: Record<string, string> } {
  const dataHashes: Record<string, string> = {};
  const h = createHash('sha256');
  for (const f of files) {
    const sha = sha256File(f.file);
    dataHashes[f.display] = sha;
    h.update(`${f.group}\t${sha}\t${f.label ?? ''}\n`);
    if (f.groupValues) {
      const values = sha256File(f.groupValues.file);
      dataHashes[f.groupValues.display] = values;
      h.update(`groupValues\t${f.groupValues.column}\t${values}\n`);
    }
  }
  return { hash: h.digest('hex'), dataHashes };
}

import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/** A regular file found by the walk, keyed by its posix path relative to the root. */
export interface WalkedFile {
  relpath: string;
  absPath: string;
  size: number;
}

/** Anything the walk refused to treat as an ordinary file or folder. */
export interface WalkOddity {
  kind: 'symlink' | 'special-file' | 'bad-name' | 'unreadable';
  /** Relative path; for a non-UTF-8 name, the bytes shown with \xNN escapes. */
  relpath: string;
  message: string;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Relative paths of every folder below the root (without the root itself). */
  dirs: string[];
  oddities: WalkOddity[];
}

export interface WalkOptions {
  /** Returns true for a relative path (file or folder) the walk should not list at all. */
  exclude?: (relpath: string, isDir: boolean) => boolean;
  signal?: AbortSignal;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lists a tree without ever following a symlink: symlinks (and where they point),
 * FIFOs, sockets, devices and names that are not valid UTF-8 come back as oddities
 * for the caller to report. Sorted by path so every report reads the same way.
 */
export async function walkTree(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const result: WalkResult = { files: [], dirs: [], oddities: [] };
  const realRoot = path.resolve(root);
  const pending: string[] = [''];
  while (pending.length) {
    options.signal?.throwIfAborted();
    const rel = pending.pop()!;
    const absDir = rel ? path.join(realRoot, rel) : realRoot;
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      if (!rel) throw error;
      result.oddities.push({
        kind: 'unreadable',
        relpath: rel,
        message: `folder cannot be read (${errorCode(error)})`,
      });
      continue;
    }
    for (const entry of entries) {
      const nameBytes = entry.name as unknown as Buffer;
      let name: string;
      try {
        name = strictUtf8.decode(nameBytes);
      } catch {
        const shown = (rel ? rel + '/' : '') + escapeBytes(nameBytes);
        result.oddities.push({
          kind: 'bad-name',
          relpath: shown,
          message: 'name is not valid UTF-8 (not hashed; rename it)',
        });
        continue;
      }
      const relpath = rel ? `${rel}/${name}` : name;
      const absPath = path.join(absDir, name);
      const kind = direntKind(entry) ?? (await lstatKind(absPath));
      if (kind === 'gone') continue;
      if (kind === 'dir') {
        if (options.exclude?.(relpath, true)) continue;
        result.dirs.push(relpath);
        pending.push(relpath);
      } else if (options.exclude?.(relpath, false)) {
        continue;
      } else if (kind === 'file') {
        const size = await lstat(absPath).then(
          (s) => s.size,
          () => 0,
        );
        result.files.push({ relpath, absPath, size });
      } else if (kind === 'symlink') {
        result.oddities.push({ kind: 'symlink', relpath, message: await describeSymlink(realRoot, absPath) });
      } else {
        result.oddities.push({
          kind: 'special-file',
          relpath,
          message: 'not a regular file (FIFO, socket or device): not read',
        });
      }
    }
  }
  const byPath = (a: { relpath: string }, b: { relpath: string }) => comparePaths(a.relpath, b.relpath);
  result.files.sort(byPath);
  result.oddities.sort(byPath);
  result.dirs.sort(comparePaths);
  return result;
}

type EntryKind = 'dir' | 'file' | 'symlink' | 'special' | 'gone';

interface TypedEntry {
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

/** From readdir's d_type; undefined where the file system does not report it (DT_UNKNOWN). */
function direntKind(entry: TypedEntry): EntryKind | undefined {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'special';
  return undefined;
}

async function lstatKind(absPath: string): Promise<EntryKind> {
  try {
    const stat = await lstat(absPath);
    if (stat.isDirectory()) return 'dir';
    if (stat.isFile()) return 'file';
    return stat.isSymbolicLink() ? 'symlink' : 'special';
  } catch {
    return 'gone'; // removed between readdir and lstat
  }
}

async function describeSymlink(realRoot: string, absPath: string): Promise<string> {
  const target = await readlink(absPath).catch(() => '?');
  const resolved = path.resolve(path.dirname(absPath), target);
  const inside = resolved === realRoot || resolved.startsWith(realRoot + path.sep);
  return inside
    ? `symlink to ${JSON.stringify(target)} (not followed: artifacts must be regular files)`
    : `symlink pointing outside the folder, to ${JSON.stringify(target)} (not followed)`;
}

/** Byte order of the UTF-8 encoding (= code point order), the order `LC_ALL=C sort` and Python use. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes)
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}

function errorCode(error: unknown): string {
  return String((error as { code?: unknown }).code ?? 'error');
}

import { comparePaths } from './walk-tree.js';

/** The manifest and its detached signature, both at the top of the models folder and never listed in it. */
export const manifestName = 'MANIFEST.sha256';
export const signatureName = 'MANIFEST.sha256.sig';

export interface ManifestEntry {
  path: string;
  digest: string;
  line: number;
}

export interface ManifestProblem {
  kind: 'malformed-line' | 'duplicate-entry' | 'unsafe-path';
  line: number;
  /** The entry's path where one could be read. */
  path?: string;
  message: string;
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  problems: ManifestProblem[];
}

// ignoreBOM keeps a byte-order mark in the text (the default would drop it silently), so it is reported as sha256sum does.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lineShape = /^([0-9a-fA-F]{64}) [ *](.+)$/s;

/**
 * Reads GNU `sha256sum` output: `<64 hex><space><space or *><path>`. A line that
 * starts with a backslash has `\\`, `\n` and `\r` escaped in its path (coreutils ≥ 9;
 * 8.x escaped only the first two). Every line that does not fit, every duplicate
 * and every path that could leave the folder is returned as a problem; valid
 * entries are still returned, so one bad line never hides the rest of the check.
 */
export function parseManifest(bytes: Buffer): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const problems: ManifestProblem[] = [];
  const seen = new Map<string, ManifestEntry>();
  const rawLines = splitLines(bytes);
  for (const [index, raw] of rawLines.entries()) {
    const line = index + 1;
    let text: string;
    try {
      text = strictUtf8.decode(raw);
    } catch {
      problems.push({ kind: 'malformed-line', line, message: 'line is not valid UTF-8' });
      continue;
    }
    if (text.startsWith('\ufeff')) {
      problems.push({
        kind: 'malformed-line',
        line,
        message:
          'line starts with a byte-order mark (U+FEFF), which sha256sum -c rejects; save the manifest as UTF-8 without BOM',
      });
      continue;
    }
    if (text.endsWith('\r')) {
      problems.push({ kind: 'malformed-line', line, message: 'line ends with a carriage return (CRLF line endings?)' });
      continue;
    }
    const escaped = text.startsWith('\\');
    const match = lineShape.exec(escaped ? text.slice(1) : text);
    if (!match) {
      problems.push({ kind: 'malformed-line', line, message: `not "<sha256>  <path>": ${preview(text)}` });
      continue;
    }
    const name = escaped ? unescapeName(match[2]!) : match[2]!;
    if (name === undefined) {
      problems.push({ kind: 'malformed-line', line, message: `bad backslash escape in ${preview(text)}` });
      continue;
    }
    const unsafe = unsafeReason(name);
    if (unsafe) {
      problems.push({ kind: 'unsafe-path', line, path: name, message: unsafe });
      continue;
    }
    const earlier = seen.get(name);
    if (earlier) {
      const differs = earlier.digest !== match[1]!.toLowerCase() ? ' with a different hash' : '';
      problems.push({
        kind: 'duplicate-entry',
        line,
        path: name,
        message: `listed again${differs} (first on line ${earlier.line})`,
      });
      continue;
    }
    const entry = { path: name, digest: match[1]!.toLowerCase(), line };
    seen.set(name, entry);
    entries.push(entry);
  }
  return { entries, problems };
}

/** Why a manifest path must not be opened, or undefined when it is a plain relative path inside the folder. */
export function unsafeReason(name: string): string | undefined {
  if (name.includes('\0')) return 'path contains a NUL byte';
  if (name.startsWith('/')) return 'absolute path (entries must be relative to the models folder)';
  const segments = name.split('/');
  if (segments.includes('..')) return 'path traversal ("..") outside the models folder';
  if (segments.some((s) => s === '' || s === '.')) return 'not a normalised relative path (empty or "." segment)';
  if (name === manifestName || name === signatureName) return 'the manifest cannot list itself or its signature';
  return undefined;
}

/** Writes entries exactly as `sha256sum` would, sorted by byte order of the path. */
export function formatManifest(entries: ReadonlyArray<{ path: string; digest: string }>): string {
  return [...entries]
    .sort((a, b) => comparePaths(a.path, b.path))
    .map(({ path, digest }) => {
      const needsEscape = /[\\\n\r]/.test(path);
      const name = needsEscape ? path.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : path;
      return `${needsEscape ? '\\' : ''}${digest}  ${name}\n`;
    })
    .join('');
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, i));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

function unescapeName(name: string): string | undefined {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = name[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else return undefined;
  }
  return out;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? text.slice(0, 77) + '...' : text);
}

/**
 * Glossary of what `smx validate-hashes` can find. Every finding fails the check
 * (exit 1): CI must not let anything unexpected through.
 *
 * changed            the file's SHA-256 differs from its manifest line
 * missing            listed in the manifest, not on disk
 * unlisted           on disk, not in the manifest
 * not-a-file         listed, but a folder (or other non-file) on disk
 * symlink            a symlink in the tree or on a listed path (never followed)
 * special-file       FIFO, socket or device in the tree (never opened)
 * bad-name           a file name that is not valid UTF-8
 * unreadable         a file or folder that cannot be read
 * malformed-line     a manifest line that is not `<sha256>  <path>`
 * duplicate-entry    a path listed twice in the manifest
 * unsafe-path        a manifest or registry path that is absolute or contains `..`
 * manifest-missing   no MANIFEST.sha256
 * incomplete-version a registered version without feature_names.txt or metrics.json
 * missing-version    registry.json names a version whose folder is absent
 * registry-malformed registry.json is not valid JSON
 * signature-missing / signature-invalid / signature-malformed   with --public-key
 */
export type FindingKind =
  | 'changed'
  | 'missing'
  | 'unlisted'
  | 'not-a-file'
  | 'symlink'
  | 'special-file'
  | 'bad-name'
  | 'unreadable'
  | 'malformed-line'
  | 'duplicate-entry'
  | 'unsafe-path'
  | 'manifest-missing'
  | 'incomplete-version'
  | 'missing-version'
  | 'registry-malformed'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signature-malformed';

export interface Finding {
  kind: FindingKind;
  /** Relative to the models folder (the manifest's own name for manifest-level findings). */
  path: string;
  message: string;
  /** Manifest line number, where the finding comes from a line. */
  line?: number;
  expected?: string;
  actual?: string;
}

/** One line per finding, the kind first so `grep CHANGED` works in CI logs. */
export function renderFinding(finding: Finding): string {
  const where = finding.line === undefined ? '' : ` (line ${finding.line})`;
  return `${finding.kind.toUpperCase().padEnd(18)} ${displayPath(finding.path)}${where}: ${finding.message}`;
}

/** Paths with control characters are shown JSON-quoted, so a crafted name cannot forge extra log lines. */
export function displayPath(path: string): string {
  return /[\u0000-\u001f\u007f"]/.test(path) ? JSON.stringify(path) : path;
}

const kindOrder: readonly FindingKind[] = [
  'manifest-missing',
  'signature-missing',
  'signature-malformed',
  'signature-invalid',
  'malformed-line',
  'duplicate-entry',
  'unsafe-path',
  'changed',
  'missing',
  'unlisted',
  'not-a-file',
  'symlink',
  'special-file',
  'bad-name',
  'unreadable',
  'registry-malformed',
  'missing-version',
  'incomplete-version',
];

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)),
  );
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The default remote of a DVC project when it is a local folder: `[core] remote = NAME`
 * and `['remote "NAME"'] url = PATH` in .dvc/config (then .dvc/config.local).
 * Undefined when there is none or it is a cloud URL smx does not speak.
 */
export async function defaultLocalRemote(repoRoot: string): Promise<string | undefined> {
  const sections = new Map<string, Map<string, string>>();
  for (const name of ['config', 'config.local']) {
    const text = await readFile(path.join(repoRoot, '.dvc', name), 'utf8').catch(() => '');
    let current = '';
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[\s*'?([^'\]]+?)'?\s*\]$/.exec(line);
      if (header) {
        current = header[1]!.replace(/\s+/g, ' ');
        continue;
      }
      const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (!pair) continue;
      if (!sections.has(current)) sections.set(current, new Map());
      sections.get(current)!.set(pair[1]!.trim(), pair[2]!.trim());
    }
  }
  const remoteName = sections.get('core')?.get('remote');
  const url = remoteName ? sections.get(`remote "${remoteName}"`)?.get('url') : undefined;
  if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    return url?.startsWith('file://') ? url.slice('file://'.length) : undefined;
  return path.resolve(path.join(repoRoot, '.dvc'), url);
}

/** The folder holding `.dvc/` at or above `start`, or undefined. */
export async function findDvcRoot(start: string): Promise<string | undefined> {
  const { stat } = await import('node:fs/promises');
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (
      await stat(path.join(dir, '.dvc')).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

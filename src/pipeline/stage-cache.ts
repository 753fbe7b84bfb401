import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../integrity/atomic-write.js';
import path from 'node:path';
import { decodeValue, encodeValue } from './value-codec.js';

/**
 * Content-addressed store of stage outputs, like DVC's run cache: the key is a
 * sha256 over the stage kind, its implementation version, smx's version, the
 * stage's params and the keys of its inputs (a source's key covers the sha256
 * of every data file it reads). `<key>.bin` holds the typed arrays, `<key>.json`
 * the rest; the .json is renamed into place last, so its presence means the
 * entry is complete.
 */
export interface StageCache {
  has(key: string): boolean;
  get(key: string): unknown;
  put(key: string, value: unknown): void;
  readonly dir: string;
}

export function stageKey(parts: {
  kind: string;
  version: string;
  codeVersion: string;
  params: unknown;
  inputs: readonly string[];
}): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

/** JSON with object keys sorted, so a key does not depend on the order params were written. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

export function fileStageCache(stateDir: string): StageCache {
  const dir = path.join(stateDir, 'cache', 'stages');
  const paths = (key: string) => ({ json: path.join(dir, `${key}.json`), bin: path.join(dir, `${key}.bin`) });
  return {
    dir,
    has: (key) => existsSync(paths(key).json),
    get(key) {
      const p = paths(key);
      return decodeValue(readFileSync(p.json, 'utf8'), existsSync(p.bin) ? readFileSync(p.bin) : Buffer.alloc(0));
    },
    put(key, value) {
      mkdirSync(dir, { recursive: true });
      const p = paths(key);
      const { json, bin } = encodeValue(value);
      // The .json last: `has` looks for it, so an entry is seen only once both files are whole.
      writeFileAtomicSync(p.bin, bin);
      writeFileAtomicSync(p.json, json);
    },
  };
}

/** An in-memory cache for code that wants stages without touching disk (tests, one-off runs). */
export function memoryStageCache(): StageCache {
  const store = new Map<string, unknown>();
  return { dir: '(memory)', has: (k) => store.has(k), get: (k) => store.get(k), put: (k, v) => void store.set(k, v) };
}

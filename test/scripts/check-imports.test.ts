import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** Runs scripts/check-imports.mjs over a small src/ tree made of `files` (path → source). */
function check(files: Record<string, string>): { status: number | null; stderr: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smx-check-imports-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const run = spawnSync(process.execPath, [path.join(packageRoot, 'scripts', 'check-imports.mjs'), dir], {
      encoding: 'utf8',
    });
    return { status: run.status, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/check-imports.mjs (run by npm run lint)', () => {
  it('passes a tree whose imports point one way', () => {
    const result = check({
      'errors.ts': 'export const x = 1;\n',
      'db/db.ts': "import pg from 'pg';\nimport { x } from '../errors.js';\nexport const y = x;\n",
      'ingest/a.ts': "import { y } from '../db/db.js';\nexport const z = y;\n",
    });
    assert.equal(result.status, 0, result.stderr);
  });

  it('fails on a cycle between two files, type-only imports included', () => {
    const result = check({
      'export/a.ts': "import type { B } from './b.js';\nexport type A = B[];\n",
      'export/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /file cycle: export\/a\.ts ↔ export\/b\.ts/);
  });

  it('fails on a cycle between folders even when no file cycle exists', () => {
    const result = check({
      'train/train.ts': "import { save } from '../store/save.js';\nexport const train = save;\n",
      'train/types.ts': 'export type Model = { id: string };\n',
      'store/save.ts': "import type { Model } from '../train/types.js';\nexport const save = (m: Model) => m;\n",
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /folder cycle: store ↔ train/);
    assert.doesNotMatch(result.stderr, /file cycle/);
  });

  it('fails on pg outside src/db and on readings SQL outside src/db/queries', () => {
    const result = check({
      'export/q.ts': "import pg from 'pg';\nexport const sql = `select value from sensor_readings`;\n",
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /export\/q\.ts: imports 'pg'/);
    assert.match(result.stderr, /export\/q\.ts: has SQL on the readings tables/);
  });
});

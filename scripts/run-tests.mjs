#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node:test.
// A test that runs past 3 minutes fails instead of hanging CI.
// Usage: node scripts/run-tests.mjs [substring filter...]
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const testRoot = path.join(root, 'dist', 'test');
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.test.js') ? [full] : [];
  });
}

// Filters match the path from test/ on (e.g. "integrity", "test/cli/", "db/migrate"),
// not the checkout's own folder name, which may contain the same word.
const underDist = (f) => path.relative(path.join(root, 'dist'), f);
const files = walk(testRoot)
  .filter((f) => filters.length === 0 || filters.some((s) => underDist(f).includes(s.replace(/^dist\//, ''))))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=180000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);

// Without a PostgreSQL server the test files share an embedded one (test/helpers/database.ts).
// A test process cannot stop it as it exits (that is asynchronous), so the runner does, once all are done.
const embeddedDir = process.env.SMX_TEST_EMBEDDED_DIR ?? path.join(os.tmpdir(), 'smx-test-embedded');
if (existsSync(embeddedDir)) {
  const { embeddedStatus, stopEmbeddedPostgres } = await import('../dist/src/db/embedded-postgres.js');
  if (embeddedStatus(embeddedDir).running) {
    await stopEmbeddedPostgres(embeddedDir);
    console.error(`# stopped the embedded PostgreSQL the tests used (${embeddedDir})`);
  }
}
process.exit(result.status ?? 1);

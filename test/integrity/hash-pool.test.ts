import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFile, HashFileError } from '../../src/integrity/hash-file.js';
import { hashMany } from '../../src/integrity/hash-pool.js';

test('worker threads and the main thread give the same digests as one-shot hashing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'smx-hash-'));
  try {
    const contents = [
      Buffer.alloc(0),
      Buffer.from('abc'),
      Buffer.alloc((1 << 20) * 2 + 5, 7),
      Buffer.alloc(1 << 20, 1),
    ];
    const jobs = await Promise.all(
      contents.map(async (bytes, i) => {
        const absPath = path.join(dir, `f${i}`);
        await writeFile(absPath, bytes);
        return { key: `f${i}`, absPath, size: bytes.length };
      }),
    );
    jobs.push({ key: 'gone', absPath: path.join(dir, 'gone'), size: 0 });
    await symlink(jobs[1]!.absPath, path.join(dir, 'link'));
    jobs.push({ key: 'link', absPath: path.join(dir, 'link'), size: 0 });
    for (const workerThresholdBytes of [0, Number.MAX_SAFE_INTEGER]) {
      for (const algorithm of ['sha256', 'md5'] as const) {
        const results = await hashMany(jobs, { algorithm, workerThresholdBytes, concurrency: 3 });
        contents.forEach((bytes, i) => {
          const outcome = results.get(`f${i}`);
          assert.ok(outcome && !(outcome instanceof HashFileError));
          assert.equal(outcome.digest, createHash(algorithm).update(bytes).digest('hex'));
          assert.equal(outcome.size, bytes.length);
        });
        assert.equal((results.get('gone') as HashFileError).reason, 'missing');
        assert.equal((results.get('link') as HashFileError).reason, 'symlink', 'symlinks are never followed');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a FIFO is refused without blocking on it', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'smx-fifo-'));
  try {
    const fifo = path.join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo not available');
    await assert.rejects(
      hashFile(fifo, 'sha256'),
      (error: unknown) => error instanceof HashFileError && error.reason === 'not-a-file',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync, writeStreamAtomic } from '../../src/integrity/atomic-write.js';
import { runGenerate } from '../../src/generate/run-generate.js';
import { isSmxError } from '../../src/errors.js';

const folder = () => mkdtempSync(path.join(os.tmpdir(), 'smx-atomic-'));
const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.includes('.tmp-'));

describe('atomic write (integrity/atomic-write.ts)', () => {
  it('replaces a file whole, with the mode asked for, and leaves no temporary file', async () => {
    const dir = folder();
    const target = path.join(dir, 'a.json');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, 'new', 0o600);
    assert.equal(readFileSync(target, 'utf8'), 'new');
    writeFileAtomicSync(path.join(dir, 'b.bin'), Buffer.from([1, 2, 3]), 0o600);
    assert.deepEqual([...readFileSync(path.join(dir, 'b.bin'))], [1, 2, 3]);
    assert.equal(statSync(path.join(dir, 'b.bin')).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a producer that fails leaves the old file and no temporary file', async () => {
    const dir = folder();
    const target = path.join(dir, 'out.csv');
    writeFileSync(target, 'old');
    await assert.rejects(
      writeStreamAtomic(target, async (out) => {
        out.write('half a file');
        throw new Error('producer failed');
      }),
      /producer failed/,
    );
    assert.equal(readFileSync(target, 'utf8'), 'old');
    assert.deepEqual(leftovers(dir), []);
  });

  it('keepIf false keeps nothing; a missing folder is a usage error naming it', async () => {
    const dir = folder();
    const { kept } = await writeStreamAtomic(
      path.join(dir, 'empty.csv'),
      async () => 0,
      (rows) => rows > 0,
    );
    assert.equal(kept, false);
    assert.deepEqual(readdirSync(dir), []);
    const error = await writeStreamAtomic(path.join(dir, 'no-such', 'x.csv'), async () => 0).catch((e: unknown) => e);
    assert.ok(isSmxError(error) && error.exitCode === 2 && /no-such does not exist/.test(error.message), String(error));
  });

  it('smx generate interrupted mid-way leaves neither its output nor a temporary file', async () => {
    const dir = folder();
    const controller = new AbortController();
    // A year of 50 sensors takes seconds to write: interrupted once the file has begun.
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await assert.rejects(
      runGenerate({
        output: path.join(dir, 'readings.csv'),
        sensors: 50,
        days: 365,
        seed: 1,
        intervalMs: 60_000,
        startMs: Date.UTC(2024, 0, 1),
        anomalies: false,
        signal: controller.signal,
      }),
      /interrupted/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // anything still closing has closed
    assert.deepEqual(readdirSync(dir), []);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registeredVersions } from '../../src/integrity/registered-versions.js';

async function withRegistry(content: string | undefined, dirs: string[]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'smx-registry-'));
  try {
    if (content !== undefined) await writeFile(path.join(dir, 'registry.json'), content);
    return await registeredVersions(dir, dirs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('reads the registry shapes the trainer may write', async () => {
  const list = await withRegistry(
    JSON.stringify({
      models: [
        { name: 'rf', version: 1, params: { version: 9 } },
        { name: 'rf', version: '2' },
      ],
    }),
    [],
  );
  assert.deepEqual(list.versions, ['rf/1', 'rf/2']);
  const map = await withRegistry(
    JSON.stringify({
      models: { rf: { versions: [{ version: 1 }, '3'], champion: 1 }, iforest: { versions: { 7: {} } } },
    }),
    [],
  );
  assert.deepEqual(map.versions, ['iforest/7', 'rf/1', 'rf/3']);
});

test('without registry.json every second-level folder is a version', async () => {
  const result = await withRegistry(undefined, ['rf', 'rf/1', 'rf/1/extra', 'iforest/2']);
  assert.deepEqual(result.versions, ['rf/1', 'iforest/2']);
  assert.equal(result.source, 'folders');
});

test('hostile registry entries are reported, never joined into paths', async () => {
  const result = await withRegistry(
    JSON.stringify([
      { name: '..', version: 'x' },
      { name: 'rf', version: '../../etc' },
    ]),
    [],
  );
  assert.deepEqual(result.versions, []);
  assert.deepEqual(
    result.problems.map((p) => p.kind),
    ['unsafe-path', 'unsafe-path'],
  );
  const broken = await withRegistry('{not json', []);
  assert.equal(broken.problems[0]?.kind, 'registry-malformed');
});

test('a registry.json that is a symlink or a FIFO is reported, never followed or opened for reading', async () => {
  const mkfifo = (p: string) => spawnSync('mkfifo', [p]).status === 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'smx-registry-'));
  try {
    await symlink('/etc/passwd', path.join(dir, 'registry.json'));
    const linked = await registeredVersions(dir, ['rf/1']);
    assert.equal(linked.source, 'folders', 'versions come from the folders instead');
    assert.deepEqual(linked.versions, ['rf/1']);
    assert.equal(linked.problems[0]?.kind, 'registry-malformed');
    assert.match(linked.problems[0].message, /symlink \(not followed\)/);
    assert.doesNotMatch(JSON.stringify(linked), /root:/, 'nothing of the target is read');
    await unlink(path.join(dir, 'registry.json'));
    if (mkfifo(path.join(dir, 'registry.json'))) {
      const fifo = await registeredVersions(dir, []); // would hang forever if the FIFO were read
      assert.match(fifo.problems[0]!.message, /not a regular file/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

// A DVC local remote built from real files in ../shared/data (copied to a temp folder, never into the repo).
const skip = skipWithoutShared();
let root: string;
const smx = (...args: string[]) => runCli(args, { cwd: root });

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'smx-data-'));
  if (skip) return;
  await mkdir(path.join(root, 'data', 'skab'), { recursive: true });
  await mkdir(path.join(root, 'remote'));
  await copyFile(sharedPath('data', 'ai4i2020', 'ai4i2020.csv'), path.join(root, 'data', 'ai4i2020.csv'));
  await copyFile(sharedPath('data', 'skab', 'valve1', '1.csv'), path.join(root, 'data', 'skab', '1.csv'));
});
after(() => rm(root, { recursive: true, force: true }));

test('add, push, pull and status round-trip through a DVC local remote', { skip }, async () => {
  const add = await smx('data', 'add', 'data');
  assert.equal(add.code, 0, add.stderr);
  // DVC 3's hash of this folder, from bench/hashes-dvc-crosscheck.sh (CPython, dvc-data's algorithm).
  assert.equal(
    await readFile(path.join(root, 'data.dvc'), 'utf8'),
    'outs:\n- md5: fa064b51ade5600d296ef0740fea8824.dir\n  size: 618479\n  nfiles: 2\n  hash: md5\n  path: data\n',
  );

  const push = await smx('data', 'push', '--remote', 'remote', '--json');
  assert.equal(push.code, 0, push.stderr);
  assert.equal((JSON.parse(push.stdout) as { copied: number }).copied, 2);
  const objects = (await readdir(path.join(root, 'remote', 'files', 'md5'), { recursive: true }))
    .map(String)
    .filter((p) => p.includes(path.sep))
    .sort();
  assert.deepEqual(objects, [
    path.join('34', 'e3ce061c67f6f3d021e16ea5ab7283'),
    path.join('d5', '7d78c9be6d41285f9cb0239281238d'),
    path.join('fa', '064b51ade5600d296ef0740fea8824.dir'),
  ]);

  await rm(path.join(root, 'data'), { recursive: true });
  const missing = await smx('data', 'status');
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /data\/ is missing/);

  const pull = await smx('data', 'pull', '--remote', 'remote');
  assert.equal(pull.code, 0, pull.stdout + pull.stderr);
  assert.match(pull.stdout, /Pulled 2 file\(s\) \(618479 bytes\)/);
  assert.equal((await smx('data', 'status')).code, 0);

  await appendFile(path.join(root, 'data', 'skab', '1.csv'), '\n');
  await writeFile(path.join(root, 'data', 'new.csv'), 'a\n');
  await rm(path.join(root, 'data', 'ai4i2020.csv'));
  const changed = await smx('data', 'status', '--remote', 'remote');
  assert.equal(changed.code, 1);
  assert.match(changed.stdout, /^ {2}added: {4}new\.csv$/m);
  assert.match(changed.stdout, /^ {2}deleted: {2}ai4i2020\.csv$/m);
  assert.match(changed.stdout, /^ {2}modified: skab\/1\.csv$/m);

  const refused = await smx('data', 'push', '--remote', 'remote');
  assert.equal(refused.code, 2, 'a folder that no longer matches data.dvc is not pushed');
});

test('pull verifies every object: a corrupted remote file is reported, never written', { skip }, async () => {
  await rm(path.join(root, 'data'), { recursive: true, force: true });
  await writeFile(path.join(root, 'remote', 'files', 'md5', '34', 'e3ce061c67f6f3d021e16ea5ab7283'), 'corrupted');
  const pull = await smx('data', 'pull', '--remote', 'remote');
  assert.equal(pull.code, 1);
  assert.match(
    pull.stdout,
    /^ {2}FAILED \S+: .*has md5 [0-9a-f]{32}, expected 34e3ce061c67f6f3d021e16ea5ab7283$/m,
    pull.stderr,
  );
  const written = await readdir(path.join(root, 'data'), { recursive: true });
  assert.equal(written.filter((p) => p.includes('.tmp-')).length, 0, 'no temporary files left behind');
});

test('usage errors exit 2', { skip }, async () => {
  assert.equal((await smx('data', 'push')).code, 2, 'no remote given and no .dvc/config');
  assert.equal((await smx('data', 'status', 'absent.dvc')).code, 2);
});

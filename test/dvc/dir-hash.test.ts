import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectDataDir } from '../../src/dvc/collect-data-dir.js';
import { dirHash, dirListingBytes, parseDirListing } from '../../src/dvc/dir-listing.js';
import { compareCodePoints, pythonJsonDumps } from '../../src/dvc/python-json.js';

// Expected values come from DVC 3's algorithm (dvc-data Tree.as_bytes + md5), run in
// CPython 3 as `json.dumps(sorted(entries, key=relpath), sort_keys=True)`; see
// bench/hashes-dvc-crosscheck.sh, which recomputes them.

test('serialises exactly like CPython json.dumps(sort_keys=True) with ensure_ascii', () => {
  const listing = dirListingBytes([
    { relpath: 'b/é', md5: '0'.repeat(32) },
    { relpath: 'a"\\\t\u007f😀', md5: 'f'.repeat(32) },
  ]).toString('utf8');
  assert.equal(
    listing,
    '[{"md5": "ffffffffffffffffffffffffffffffff", "relpath": "a\\"\\\\\\t\\u007f\\ud83d\\ude00"}, {"md5": "00000000000000000000000000000000", "relpath": "b/\\u00e9"}]',
  );
  assert.equal(
    dirHash([
      { relpath: 'b/é', md5: '0'.repeat(32) },
      { relpath: 'a"\\\t\u007f😀', md5: 'f'.repeat(32) },
    ]).md5,
    'cb06bf50b9c1ec4f90818c766b65f8b0.dir',
  );
  assert.equal(dirHash([]).md5, 'd751713988987e9331980363e24189ce.dir', 'md5 of "[]", as DVC gives an empty folder');
  assert.equal(pythonJsonDumps({ b: [1, true, null], a: 'x' }), '{"a": "x", "b": [1, true, null]}');
});

test('sorts by code point as Python does, not by UTF-16 unit', () => {
  // U+FFFD sorts before U+1F600 by code point (Python's order) but after its surrogate 0xD83D by UTF-16 unit.
  assert.ok(compareCodePoints('\uFFFD', '😀') < 0);
  assert.ok('\uFFFD' > '😀', 'the JS default would have put it after');
});

test('hashes a folder as `dvc add` does (DVC 3: plain md5, no CRLF normalisation; .git/.dvc skipped)', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'smx-dvc-'));
  const data = path.join(root, 'data');
  try {
    const files: Record<string, string> = {
      'crlf.csv': 'a,b\r\n1,2\r\n',
      'sub dir/ü/naïve "q".txt': 'x',
      empty: '',
      Z: 'z',
      '😀.bin': 'e',
      'ﬀ.bin': 'f',
      'tab\tname': 't',
      'back\\slash': 'b',
      'ctl\u007f': 'c',
      '.git/x': 'g',
      '.dvc/y': 'h',
    };
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(data, rel)), { recursive: true });
      await writeFile(path.join(data, rel), content);
    }
    await mkdir(path.join(data, 'empty-folder'));
    const collected = await collectDataDir(data);
    assert.equal(collected.md5, '390ae355e888662652e2500668a84202.dir');
    assert.equal(collected.size, 17);
    assert.equal(collected.nfiles, 9);
    assert.deepEqual(
      parseDirListing(collected.listing),
      [...collected.entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath)),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a .dir object with an unsafe relpath is refused', () => {
  assert.throws(
    () => parseDirListing(Buffer.from('[{"md5": "' + '0'.repeat(32) + '", "relpath": "../x"}]')),
    /unsafe relpath/,
  );
  assert.throws(() => parseDirListing(Buffer.from('{"md5": 1}')), /JSON list/);
});

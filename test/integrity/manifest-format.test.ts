import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatManifest, parseManifest } from '../../src/integrity/manifest-format.js';

const h = (c: string) => c.repeat(64);

test('round-trips sha256sum lines, escaping backslash, newline and carriage return as coreutils 9 does', () => {
  const entries = [
    { path: 'b/model.onnx', digest: h('b') },
    { path: 'a\\b', digest: h('a') },
    { path: 'n\nl', digest: h('c') },
    { path: 'c\rr', digest: h('d') },
    { path: 'sp ace', digest: h('e') },
  ];
  const text = formatManifest(entries);
  // Byte order of paths, as `LC_ALL=C sort`; these lines are what `sha256sum *` prints.
  assert.equal(
    text,
    [
      `\\${h('a')}  a\\\\b`,
      `${h('b')}  b/model.onnx`,
      `\\${h('d')}  c\\rr`,
      `\\${h('c')}  n\\nl`,
      `${h('e')}  sp ace`,
      '',
    ].join('\n'),
  );
  const parsed = parseManifest(Buffer.from(text));
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.entries.map((e) => e.path).sort(), entries.map((e) => e.path).sort());
});

test('accepts binary-mode lines and upper-case hex', () => {
  const parsed = parseManifest(Buffer.from(`${h('A')} *x.bin\n`));
  assert.deepEqual(parsed.entries, [{ path: 'x.bin', digest: h('a'), line: 1 }]);
});

test('reports traversal, absolute paths, duplicates, malformed and non-UTF-8 lines, and keeps the good ones', () => {
  const bytes = Buffer.concat([
    Buffer.from(
      [
        `${h('1')}  ok.bin`,
        `${h('2')}  ../../etc/passwd`,
        `${h('3')}  /etc/shadow`,
        `${h('4')}  a/./b`,
        `${h('5')}  ok.bin`,
        'not a line',
        '',
        `${h('6')}  crlf.bin\r`,
        `${h('7')}  MANIFEST.sha256`,
        `\\${h('8')}  bad\\qescape`,
        `${h('9')}  a/../../x`,
      ].join('\n') + '\n',
    ),
    Buffer.from(`${h('0')}  \xff\n`, 'latin1'),
  ]);
  const { entries, problems } = parseManifest(bytes);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['ok.bin'],
  );
  assert.deepEqual(
    problems.map((p) => [p.line, p.kind]),
    [
      [2, 'unsafe-path'],
      [3, 'unsafe-path'],
      [4, 'unsafe-path'],
      [5, 'duplicate-entry'],
      [6, 'malformed-line'],
      [7, 'malformed-line'],
      [8, 'malformed-line'],
      [9, 'unsafe-path'],
      [10, 'malformed-line'],
      [11, 'unsafe-path'],
      [12, 'malformed-line'],
    ],
  );
  assert.match(problems[0]!.message, /path traversal/);
  assert.match(problems[3]!.message, /different hash \(first on line 1\)/);
  assert.match(problems[10]!.message, /not valid UTF-8/);
});

test('an empty manifest has no entries and no problems', () => {
  assert.deepEqual(parseManifest(Buffer.alloc(0)), { entries: [], problems: [] });
});

test('a byte-order mark is reported, not dropped silently (sha256sum -c rejects that line too)', () => {
  const bytes = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(`${h('1')}  first.bin\n${h('2')}  second.bin\n\ufeff${h('3')}  third.bin\n`),
  ]);
  const { entries, problems } = parseManifest(bytes);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['second.bin'],
  );
  assert.deepEqual(
    problems.map((p) => [p.line, p.kind]),
    [
      [1, 'malformed-line'],
      [3, 'malformed-line'],
    ],
  );
  assert.match(problems[0]!.message, /byte-order mark/);
});

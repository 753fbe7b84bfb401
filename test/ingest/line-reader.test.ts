import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readLineBlocks, badLineMarker } from '../../src/ingest/line-reader.js';

async function lines(chunks: Buffer[], max = 64) {
  const out: Array<string | { bad: string }> = [];
  for await (const block of readLineBlocks(chunks, max)) {
    const parts = block.text.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    parts.forEach((p, i) => out.push(p === badLineMarker && block.bad.has(i) ? { bad: block.bad.get(i)!.reason } : p));
  }
  return out;
}

describe('readLineBlocks', () => {
  it('drops a BOM, keeps CRLF for the CSV reader, joins lines split across chunks', async () => {
    const input = Buffer.from('\ufeffa,b\r\nc,d\ne,f');
    assert.deepEqual(await lines([input.subarray(0, 5), input.subarray(5, 9), input.subarray(9)]), [
      'a,b\r',
      'c,d',
      'e,f',
    ]);
  });
  it('marks non-UTF-8 lines without losing the others', async () => {
    assert.deepEqual(
      await lines([Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('fine\n')])]),
      ['ok', { bad: 'line is not valid UTF-8' }, 'fine'],
    );
  });
  it('cuts a many-megabyte line off at the limit, in bounded memory, and goes on', async () => {
    const huge = Array.from({ length: 50 }, () => Buffer.alloc(100_000, 0x61)); // 5 MB without a newline
    const result = await lines([Buffer.from('first\n'), ...huge, Buffer.from('aaa\nlast\n')], 1 << 20);
    assert.deepEqual(result, ['first', { bad: `line longer than ${1 << 20} bytes` }, 'last']);
  });
  it('an overlong last line without a newline is reported too', async () => {
    assert.deepEqual(await lines([Buffer.from('a\n' + 'x'.repeat(100))], 64), [
      'a',
      { bad: 'line longer than 64 bytes' },
    ]);
  });
});

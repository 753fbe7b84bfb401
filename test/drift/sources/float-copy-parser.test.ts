import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FloatCopyParser } from '../../../src/drift/sources/float-copy-parser.js';

/** A binary COPY stream of one float8 column, as PostgreSQL writes it (NULL where the value is null). */
function copyBinary(values: Array<number | null>, headerExtension = 0): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const head = Buffer.alloc(8 + headerExtension);
  head.writeUInt32BE(0, 0);
  head.writeUInt32BE(headerExtension, 4);
  parts.push(head);
  for (const v of values) {
    if (v === null) {
      const t = Buffer.alloc(6);
      t.writeInt16BE(1, 0);
      t.writeInt32BE(-1, 2);
      parts.push(t);
      continue;
    }
    const t = Buffer.alloc(14);
    t.writeInt16BE(1, 0);
    t.writeInt32BE(8, 2);
    t.writeDoubleBE(v, 6);
    parts.push(t);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  parts.push(trailer);
  return Buffer.concat(parts);
}

async function parseInChunks(data: Buffer, chunkSize: number): Promise<{ values: number[]; nulls: number }> {
  const values: number[] = [];
  const parser = new FloatCopyParser((v) => values.push(v));
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  await pipeline(Readable.from(chunks), parser);
  return { values, nulls: parser.nulls };
}

describe('FloatCopyParser', () => {
  const values = [
    0,
    -0,
    1.5,
    -2.25e-300,
    1.7976931348623157e308,
    Number.MIN_VALUE,
    Math.PI,
    42,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];

  for (const chunkSize of [1, 3, 7, 13, 14, 15, 64, 100_000]) {
    it(`parses every value exactly when chunks are ${chunkSize} bytes`, async () => {
      const parsed = await parseInChunks(copyBinary([...values, null, 7], 4), chunkSize);
      assert.deepEqual(parsed.values, [...values, 7]);
      assert.equal(parsed.nulls, 1);
    });
  }

  it('an empty result is the header and the trailer only', async () => {
    assert.deepEqual((await parseInChunks(copyBinary([]), 5)).values, []);
  });

  it('a stream cut before its trailer is an error, not a short column', async () => {
    const data = copyBinary([1, 2, 3]);
    await assert.rejects(parseInChunks(data.subarray(0, data.length - 9), 8), /truncated/);
  });

  it('text-format COPY output is refused', async () => {
    await assert.rejects(parseInChunks(Buffer.from('1.5\n2.5\n'.repeat(5)), 64), /not in binary format/);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { copyOut } from '../../src/db/copy-out-stream.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Collects a stream's bytes. */
function collector(): { sink: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    sink: new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }),
    bytes: () => Buffer.concat(chunks),
  };
}

describe('copyOut: COPY TO STDOUT with the fast message parser', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    // A function that raises a NOTICE for some rows: notices arrive between the CopyData messages.
    await t.db.query(
      `create function noisy(i int) returns int language plpgsql as $$ begin if i % 1000 = 0 then raise notice 'row %', i; end if; return i; end $$`,
    );
  });
  after(async () => {
    await t?.drop();
  });

  async function both(sql: string): Promise<{ fast: Buffer; original: Buffer; rows: [number, number] }> {
    const client = await t.pool.connect();
    try {
      const a = collector();
      const fastStream = client.query(copyOut(sql));
      await pipeline(fastStream, a.sink);
      const b = collector();
      const originalStream = client.query(copyStreams.to(sql));
      await pipeline(originalStream, b.sink);
      // The connection is handed back to pg in a usable state.
      assert.deepEqual((await client.query('select 41 + 1 as n')).rows, [{ n: 42 }]);
      return {
        fast: a.bytes(),
        original: b.bytes(),
        rows: [fastStream.rowCount, originalStream.rowCount],
      };
    } finally {
      client.release();
    }
  }

  it('gives the bytes and row count of pg-copy-streams for small rows, rows far larger than a socket read, CSV and notices', async () => {
    const cases = [
      `copy (select i, md5(i::text) from generate_series(1, 200000) i) to stdout`,
      `copy (select i, repeat(chr(65 + i % 26), 100000 + i) from generate_series(1, 40) i) to stdout with (format csv, header)`,
      `copy (select noisy(i), 'x,y"z' from generate_series(1, 5000) i) to stdout with (format csv)`,
      `copy (select 1 where false) to stdout`,
    ];
    for (const sql of cases) {
      const { fast, original, rows } = await both(sql);
      assert.ok(fast.equals(original), sql);
      assert.equal(rows[0], rows[1], sql);
    }
    const { rows } = await both(cases[0]!);
    assert.deepEqual(rows, [200000, 200000]);
  });

  it('an error in the middle of the data ends the stream with the server error, and the connection is usable after it', async () => {
    const client = await t.pool.connect();
    try {
      const sink = collector();
      await assert.rejects(
        pipeline(
          client.query(copyOut(`copy (select 1 / (50000 - i) from generate_series(1, 100000) i) to stdout`)),
          sink.sink,
        ),
        /division by zero/,
      );
      assert.ok(sink.bytes().length > 0, 'rows before the error came through');
      assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }]);
    } finally {
      client.release();
    }
  });

  it('relies on pg-copy-streams internals that still exist (fails loudly after an incompatible upgrade)', () => {
    const require = createRequire(import.meta.url);
    const instance = (require('pg-copy-streams/copy-to.js') as (text: string) => Record<string, unknown>)('select 1');
    for (const member of ['_parse', '_detach', '_cleanup', '_forward', 'submit'])
      assert.equal(typeof instance[member], 'function', member);
    assert.equal(typeof (instance._buffer as { push?: unknown }).push, 'function');
  });
});

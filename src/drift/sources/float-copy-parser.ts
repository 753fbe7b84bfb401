/**
 * A Writable that parses PostgreSQL's binary COPY format for a query of one
 * float8 column and hands each value to `sink`, with no row objects and no
 * text parsing: each tuple is a 2-byte field count, a 4-byte length and the
 * 8-byte big-endian double. Chunk boundaries may fall anywhere; the few bytes
 * of a split tuple are carried into the next chunk.
 *
 * Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format).
 */
import { Writable } from 'node:stream';
import { SmxError } from '../../errors.js';

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export type ValueSink = (value: number) => void;

export class FloatCopyParser extends Writable {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private finished = false;
  /** Values parsed (NULLs excluded). */
  count = 0;
  nulls = 0;

  constructor(private readonly sink: ValueSink) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.parse(this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback(
      this.finished ? null : new SmxError('INTERNAL', 'COPY output ended before its trailer (truncated stream).'),
    );
  }

  private parse(buf: Buffer): void {
    let at = 0;
    if (!this.headerDone) {
      if (buf.length < 19) return void (this.pending = buf);
      if (!buf.subarray(0, 11).equals(signature))
        throw new SmxError('INTERNAL', 'COPY output is not in binary format.');
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) return void (this.pending = buf);
      at = 19 + extension;
      this.headerDone = true;
    }
    const end = buf.length;
    const sink = this.sink;
    while (at + 2 <= end) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.finished = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new SmxError('INTERNAL', `COPY tuple has ${fields} fields; expected 1.`);
      if (at + 6 > end) break;
      const length = buf.readInt32BE(at + 2);
      if (length === -1) {
        this.nulls++;
        at += 6;
        continue;
      }
      if (length !== 8) throw new SmxError('INTERNAL', `COPY field is ${length} bytes; expected a float8.`);
      if (at + 14 > end) break;
      sink(buf.readDoubleBE(at + 6));
      this.count++;
      at += 14;
    }
    this.pending = at < end ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
  }
}

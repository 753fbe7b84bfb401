/**
 * A Writable that parses PostgreSQL's binary COPY format for a query of a
 * few int4 / float8 columns and hands each row to `sink` as a reused
 * Float64Array (one slot per column), with no row objects and no text
 * parsing. FloatCopyParser is the one-float8-column case; this one serves the
 * timed windows (epoch ms, value) and the timeline's time-ordered stream
 * (sensor position, epoch ms, value). A NULL field arrives as NaN.
 *
 * Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format).
 */
import { Writable } from 'node:stream';
import { SmxError } from '../../errors.js';

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export type FieldType = 'int4' | 'float8';
export type RowSink = (row: Float64Array) => void;

export class RowCopyParser extends Writable {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private finished = false;
  private readonly row: Float64Array;
  /** Rows parsed. */
  count = 0;

  constructor(
    private readonly fields: readonly FieldType[],
    private readonly sink: RowSink,
  ) {
    super();
    this.row = new Float64Array(fields.length);
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

  /** Bytes of one whole tuple starting at `at`, or -1 when the buffer ends inside it. */
  private tupleLength(buf: Buffer, at: number): number {
    let p = at + 2;
    for (let k = 0; k < this.fields.length; k++) {
      if (p + 4 > buf.length) return -1;
      const length = buf.readInt32BE(p);
      p += 4 + Math.max(0, length);
      if (p > buf.length) return -1;
    }
    return p - at;
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
    const { fields, row, sink } = this;
    while (at + 2 <= buf.length) {
      const count = buf.readInt16BE(at);
      if (count === -1) {
        this.finished = true;
        at += 2;
        break;
      }
      if (count !== fields.length)
        throw new SmxError('INTERNAL', `COPY tuple has ${count} fields; expected ${fields.length}.`);
      const size = this.tupleLength(buf, at);
      if (size < 0) break;
      let p = at + 2;
      for (let k = 0; k < fields.length; k++) {
        const length = buf.readInt32BE(p);
        p += 4;
        if (length === -1) {
          row[k] = Number.NaN;
          continue;
        }
        const type = fields[k]!;
        if ((type === 'int4' && length !== 4) || (type === 'float8' && length !== 8))
          throw new SmxError('INTERNAL', `COPY field ${k + 1} is ${length} bytes; expected ${type}.`);
        row[k] = type === 'int4' ? buf.readInt32BE(p) : buf.readDoubleBE(p);
        p += length;
      }
      sink(row);
      this.count++;
      at += size;
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
  }
}

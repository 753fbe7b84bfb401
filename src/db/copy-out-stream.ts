import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';

/**
 * COPY … TO STDOUT as a readable stream: pg-copy-streams' CopyToStream with
 * its message parser replaced. The original reads every message through a
 * buffer list — peek the code, read the length, take the payload — which is
 * several calls and a buffer per row; an export is a million small CopyData
 * messages, and node spent 1.0–1.6 s of CPU on 1,000,000 rows (60 MB), more
 * than psql's whole run. This parser walks each socket chunk once and moves
 * the payloads together in place (copyWithin), so a chunk costs one pass and
 * no allocation. Everything else — taking over the connection's socket,
 * handing it back to pg on CopyDone or ErrorResponse, the row count from
 * CommandComplete — stays pg-copy-streams' own (its version is pinned by the
 * lockfile; test/db/copy-out-stream.test.ts checks the members used here).
 */
interface CopyToInternals extends Readable {
  _buffer: { push(chunk: Buffer): void; size: number };
  _detach(): void;
  _cleanup(): void;
  _parse(chunk: Buffer): boolean | undefined;
  rowCount: number;
}

type CopyToClass = new (text: string, options?: object) => CopyToInternals;

const require = createRequire(import.meta.url);
const CopyToStream = (require('pg-copy-streams/copy-to.js') as (text: string) => CopyToInternals)('')
  .constructor as CopyToClass;

const CopyData = 0x64; // 'd'
const ErrorResponse = 0x45; // 'E'
/** Messages that may come between the CopyData messages and are skipped. */
const interspersed = new Set([
  0x48 /* CopyOutResponse */, 0x53 /* ParameterStatus */, 0x4e /* NoticeResponse */, 0x41 /* NotificationResponse */,
]);

class FastCopyToStream extends CopyToStream {
  /** Bytes of a message cut by the end of the previous chunk. */
  private carry: Buffer | undefined;

  override _parse(chunk: Buffer): boolean | undefined {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let at = 0;
    let out = 0;
    let done = false;
    while (at + 5 <= buf.length) {
      const kind = buf[at]!;
      if (kind === ErrorResponse) {
        // pg parses the error (and what follows) once the socket is handed back.
        if (out > 0) this.push(buf.subarray(0, out));
        this._buffer.push(buf.subarray(at));
        this._detach();
        return undefined;
      }
      const end = at + 1 + buf.readUInt32BE(at + 1);
      if (end > buf.length) break;
      if (kind === CopyData) {
        buf.copyWithin(out, at + 5, end);
        out += end - at - 5;
      } else if (!interspersed.has(kind)) {
        // CopyDone (or anything unexpected): the COPY data is over; pg reads the rest.
        at = end;
        done = true;
        break;
      }
      at = end;
    }
    if (!done && at < buf.length) {
      // The cut message starts at `at`; keep it for the next chunk (copied: the payloads above overwrite buf).
      this.carry = Buffer.from(buf.subarray(at));
    }
    let drained = true;
    if (out > 0) drained = this.push(buf.subarray(0, out));
    if (done) {
      if (at < buf.length) this._buffer.push(buf.subarray(at));
      this._detach();
      this.push(null);
      this._cleanup();
    }
    return drained;
  }
}

/** A COPY … TO STDOUT query for `client.query(...)`, streaming the data rows. */
export function copyOut(sql: string): ReturnType<typeof copyStreams.to> {
  return new FastCopyToStream(sql) as unknown as ReturnType<typeof copyStreams.to>;
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Rejection } from './reading.js';

/** A rejection as the rejects file keeps it: with the line and its raw text. */
export interface RejectRecord extends Rejection {
  line: number;
  raw: string;
}

/**
 * The rejects file: one JSON object per rejected row (line, raw, field,
 * reason). Created on the first reject, so a clean run leaves no empty file.
 */
export class RejectsFile {
  private stream: WriteStream | undefined;
  count = 0;

  constructor(readonly path: string) {}

  async write(records: RejectRecord[]): Promise<void> {
    if (!records.length) return;
    this.stream ??= createWriteStream(this.path, { flags: 'w' });
    this.count += records.length;
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await finished(this.stream);
  }
}

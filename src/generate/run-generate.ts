import { createWriteStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { generateReadings, labelsCsv, type GenerateOptions } from './generate-readings.js';

export interface RunGenerateOptions extends GenerateOptions {
  /** A path (written to a temporary name, then renamed) or an open stream such as stdout. */
  output: string | Writable;
  labelsPath?: string;
}

export interface RunGenerateResult {
  rows: number;
  sensors: number;
  start: string;
  end: string;
  labels: number;
  output: string;
}

/** `smx generate`: readings to a file or stream, and the labels of what was injected. */
export async function runGenerate(options: RunGenerateOptions): Promise<RunGenerateResult> {
  const toPath = typeof options.output === 'string';
  const temporary = toPath ? `${options.output as string}.tmp-${process.pid}` : undefined;
  const out = temporary ? createWriteStream(temporary, { highWaterMark: 1 << 20 }) : (options.output as Writable);
  const result = await generateReadings(out, options);
  if (temporary) {
    out.end();
    await finished(out);
    await rename(temporary, options.output as string);
  }
  if (options.labelsPath) await writeFile(options.labelsPath, labelsCsv(result.labels));
  return {
    rows: result.rows,
    sensors: result.sensors,
    start: new Date(result.startMs).toISOString(),
    end: new Date(result.endMs).toISOString(),
    labels: result.labels.length,
    output: toPath ? (options.output as string) : '-',
  };
}

import type { Writable } from 'node:stream';
import { writeFileAtomic, writeStreamAtomic } from '../integrity/atomic-write.js';
import { generateReadings, labelsCsv, type GenerateOptions } from './generate-readings.js';

export interface RunGenerateOptions extends GenerateOptions {
  /** A path (written atomically: integrity/atomic-write.ts) or an open stream such as stdout. */
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
  // A file is written beside its name and renamed at the end (also when generation fails: nothing half-written).
  const result =
    typeof options.output === 'string'
      ? (await writeStreamAtomic(options.output, (out) => generateReadings(out, options))).result
      : await generateReadings(options.output, options);
  if (options.labelsPath) await writeFileAtomic(options.labelsPath, labelsCsv(result.labels));
  return {
    rows: result.rows,
    sensors: result.sensors,
    start: new Date(result.startMs).toISOString(),
    end: new Date(result.endMs).toISOString(),
    labels: result.labels.length,
    output: toPath ? (options.output as string) : '-',
  };
}

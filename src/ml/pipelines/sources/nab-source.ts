import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { inputError } from '../../../errors.js';
import type { SourceStage, StageContext } from '../../../pipeline/stage.js';
import type { SourceSpec } from '../../../pipeline/schema.js';
import { labelsFromLimits } from '../../anomaly/nab/nab-windows.js';
import type { SourceTable } from '../types.js';
import { fingerprintFiles, resolveFiles, type ResolvedFile } from './resolve-files.js';
import { parseTime, TableBuilder } from './table-builder.js';

type NabSpec = Extract<SourceSpec, { kind: 'nab' }>;

/**
 * NAB data files (`timestamp,value`) labelled from NAB's combined_windows.json:
 * `label` is 1 on rows inside a window (NAB's labeler: start ≤ time ≤ end),
 * so the runs of 1s are the windows the NAB scorer needs. A file's windows
 * are the entry whose key ends with `/<file name>` (NAB keys them by
 * `<category>/<file>`). One group per file; the windows file is part of the
 * source's fingerprint.
 */
function resolveAll(params: NabSpec, context: StageContext): { data: ResolvedFile[]; windows: ResolvedFile } {
  const data = resolveFiles(params.files, context);
  const windows = resolveFiles([{ path: params.windows }], context)[0]!;
  return { data, windows };
}

function read(params: NabSpec, files: { data: ResolvedFile[]; windows: ResolvedFile }): SourceTable {
  let limits: Record<string, [string, string][]>;
  try {
    limits = JSON.parse(readFileSync(files.windows.file, 'utf8')) as Record<string, [string, string][]>;
  } catch (error) {
    throw inputError(`${files.windows.display}: not a NAB windows JSON file: ${(error as Error).message}`);
  }
  const table = new TableBuilder();
  for (const f of files.data) {
    const name = path.basename(f.file);
    const key = Object.keys(limits).find((k) => k === name || k.endsWith(`/${name}`));
    if (!key) throw inputError(`${files.windows.display} has no windows for ${name}`);
    const records = parseCsv(readFileSync(f.file), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string>[];
    const time = records.map((r, i) => parseTime(r.timestamp, 'timestamp', i));
    const windowTimes = limits[key]!.map(([a, b]) => [parseTime(a, key, 0), parseTime(b, key, 0)] as const);
    const labels = labelsFromLimits(time, windowTimes);
    records.forEach((r, i) => table.add({ timestamp: r.timestamp, value: r.value, label: labels[i] }, f.group));
  }
  return table.build('timestamp');
}

export const nabSource: SourceStage<NabSpec, SourceTable> = {
  kind: 'source.nab',
  version: '1',
  async fingerprint(params, context) {
    const files = resolveAll(params, context);
    return { ...fingerprintFiles([...files.data, files.windows]), preloaded: files };
  },
  async runWith(params, fp, context) {
    return read(params, (fp.preloaded as ReturnType<typeof resolveAll> | undefined) ?? resolveAll(params, context));
  },
  async run(params, _inputs, context) {
    return read(params, resolveAll(params, context));
  },
};

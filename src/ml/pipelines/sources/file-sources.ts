import { readFileSync } from 'node:fs';
import { inputError } from '../../../errors.js';
import type { SourceFingerprint, SourceStage, StageContext } from '../../../pipeline/stage.js';
import type { SourceSpec } from '../../../pipeline/schema.js';
import { readMatFile, matVariableEndingWith } from '../../loaders/mat.js';
import { readMaybeXz } from '../../loaders/xz.js';
import { readWavFile, selectChannel } from '../../loaders/wav.js';
import type { Signal, SignalSet, SourceTable } from '../types.js';
import { readCsvRecords } from './csv-records.js';
import { fingerprintFiles, resolveFiles, type ResolvedFile } from './resolve-files.js';
import { TableBuilder } from './table-builder.js';

type CsvSpec = Extract<SourceSpec, { kind: 'csv' }>;
type NdjsonSpec = Extract<SourceSpec, { kind: 'ndjson' }>;
type WavSpec = Extract<SourceSpec, { kind: 'wav' }>;
type MatSpec = Extract<SourceSpec, { kind: 'mat' }>;

/** Shared plumbing of the file sources: resolve + hash the files once, then read them. */
function fileSource<P extends { files: CsvSpec['files'] }, O>(
  kind: string,
  version: string,
  read: (params: P, files: ResolvedFile[]) => O | Promise<O>,
): SourceStage<P, O> {
  const stage: SourceStage<P, O> = {
    kind,
    version,
    async fingerprint(params, context) {
      const files = resolveFiles(params.files, context);
      return { ...fingerprintFiles(files), preloaded: files };
    },
    async runWith(params, fp: SourceFingerprint, context) {
      const files = (fp.preloaded as ResolvedFile[] | undefined) ?? resolveFiles(params.files, context);
      return await read(params, files);
    },
    async run(params, _inputs, context: StageContext) {
      return await read(params, resolveFiles(params.files, context));
    },
  };
  return stage;
}

/**
 * CSV files (BOM and CRLF tolerated, .xz-compressed or not, any one-character delimiter or
 * `whitespace`, with a header row or declared `columns`), one group per file,
 * or per value of `groupColumn` within each file (`<folder>/<file>#<value>`).
 */
export const csvSource = fileSource<CsvSpec, SourceTable>('source.csv', '1', async (params, files) => {
  const table = new TableBuilder();
  for (const f of files) {
    const records = readCsvRecords(await readMaybeXz(f.file), f.display, params);
    const perGroup = f.groupValues ? readGroupValues(f.groupValues.file, f.groupValues.display) : undefined;
    const seen = new Map<string, number>();
    for (const record of records) {
      const row: Record<string, unknown> = { ...record, ...f.constants };
      const group = params.groupColumn === undefined ? f.group : groupOf(row, params.groupColumn, f);
      if (perGroup) {
        if (!seen.has(group)) seen.set(group, seen.size);
        row[f.groupValues!.column] = perGroup[seen.get(group)!];
      }
      table.add(row, group);
    }
    if (perGroup && perGroup.length !== seen.size)
      throw inputError(
        `${f.groupValues!.display} has ${perGroup.length} values, but ${f.display} has ${seen.size} groups: it needs one line per group`,
      );
  }
  return table.build(params.timeColumn);
});

/** One value per non-empty line (a header-less one-column file such as C-MAPSS RUL_FD001.txt). */
function readGroupValues(file: string, display: string): string[] {
  const values = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const wide = values.findIndex((v) => /\s/.test(v));
  if (wide >= 0)
    throw inputError(`${display}: line ${wide + 1} has more than one value (${JSON.stringify(values[wide])})`);
  return values;
}

function groupOf(row: Record<string, unknown>, column: string, f: ResolvedFile): string {
  const value = row[column];
  if (value === undefined || value === '')
    throw inputError(`${f.display}: groupColumn ${JSON.stringify(column)} is missing or empty in a row`, {
      details: { columns: Object.keys(row) },
    });
  return `${f.group}#${String(value)}`;
}

/** Newline-delimited JSON objects, one group per file. */
export const ndjsonSource = fileSource<NdjsonSpec, SourceTable>('source.ndjson', '1', (params, files) => {
  const table = new TableBuilder();
  for (const f of files) {
    const lines = readFileSync(f.file, 'utf8').split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw inputError(`${f.display}:${i + 1}: not a JSON object`);
      }
      if (!record || typeof record !== 'object' || Array.isArray(record))
        throw inputError(`${f.display}:${i + 1}: not a JSON object`);
      table.add({ ...(record as Record<string, unknown>), ...f.constants }, f.group);
    });
  }
  return table.build(params.timeColumn);
});

/** WAV clips (PCM or float, WAVE_FORMAT_EXTENSIBLE included), one signal per file, labelled by its entry. */
export const wavSource = fileSource<WavSpec, SignalSet>('source.wav', '1', async (params, files) => {
  const signals: Signal[] = [];
  for (const f of files) {
    const audio = await readWavFile(f.file);
    if (params.channel !== 'mix' && params.channel >= audio.channels) {
      throw inputError(
        `${f.display} has ${audio.channels} channel(s); the pipeline asks for channel ${params.channel}`,
      );
    }
    signals.push({
      name: f.group,
      label: f.label ?? null,
      sampleRate: audio.sampleRate,
      samples: selectChannel(audio, params.channel),
    });
  }
  return { shape: 'signals', signals };
});

/** MATLAB v5 recordings (CWRU): one variable per file, chosen by the end of its name. */
export const matSource = fileSource<MatSpec, SignalSet>('source.mat', '1', async (params, files) => {
  const signals: Signal[] = [];
  for (const f of files) {
    const mat = await readMatFile(f.file);
    const variable = matVariableEndingWith(mat, params.variable, f.display);
    signals.push({ name: f.group, label: f.label ?? null, sampleRate: params.sampleRate, samples: variable.data });
  }
  return { shape: 'signals', signals };
});

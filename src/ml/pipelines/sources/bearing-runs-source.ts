import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inputError } from '../../../errors.js';
import type { SourceStage, StageContext } from '../../../pipeline/stage.js';
import type { SourceSpec } from '../../../pipeline/schema.js';
import type { SourceTable } from '../types.js';
import { readCsvRecords } from './csv-records.js';
import { fingerprintFiles, resolveFiles, type ResolvedFile } from './resolve-files.js';
import { parseTime, TableBuilder } from './table-builder.js';

type Spec = Extract<SourceSpec, { kind: 'bearing-runs' }>;
type Run = Spec['runs'][number];

/**
 * Run-to-failure bearing tests as one row per snapshot and bearing channel:
 * `hi` (the health indicator the data allows: IMS's merged files hold the mean
 * |x| of each snapshot; FEMTO snapshots are raw, so their RMS), `kurtosis`
 * (FEMTO only, NaN for IMS) and `failed` (1 for channels of a bearing that
 * failed at the end of its test). Groups: `<run>/<channel>`.
 * - ims-merged: a header row whose first, unnamed column is the timestamp;
 * - femto-snapshots: header-less files `hour,minute,second,µs,horizontal,vertical`
 *   (2,560 samples at 25.6 kHz, one file every 10 s): the file's number gives
 *   its time, (n − 1) × 10 s after the start.
 */
function runName(run: Run, files: ResolvedFile[]): string {
  return run.name ?? path.basename(files[0]!.file).replace(/\.csv$/, '');
}

function readIms(run: Run, file: ResolvedFile, table: TableBuilder): void {
  const records = readCsvRecords(readFileSync(file.file), file.display, { delimiter: ',' });
  const channels = Object.keys(records[0] ?? {}).filter((c) => c !== '');
  const name = runName(run, [file]);
  for (const channel of channels) {
    const failed = run.failed.some((prefix) => channel.startsWith(prefix)) ? 1 : 0;
    records.forEach((r, i) =>
      table.add(
        { time: parseTime(r[''], file.display, i + 2), hi: r[channel], kurtosis: NaN, failed },
        `${name}/${channel}`,
      ),
    );
  }
}

function readFemto(run: Run, files: ResolvedFile[], table: TableBuilder): void {
  const name = runName(run, files);
  const failed = run.failed.length > 0 ? 1 : 0;
  for (const f of files) {
    const n = Number(/(\d+)\.csv$/.exec(f.file)?.[1]);
    if (!Number.isFinite(n)) throw inputError(`${f.display}: a FEMTO snapshot is named acc_<number>.csv`);
    const rows = readFileSync(f.file, 'utf8').trim().split(/\r?\n/);
    const x = Float64Array.from(rows, (line, i) => {
      const v = Number(line.split(',')[run.channel]);
      if (!Number.isFinite(v)) throw inputError(`${f.display}:${i + 1}: column ${run.channel} is not a number`);
      return v;
    });
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    let m2 = 0;
    let m4 = 0;
    let sq = 0;
    for (const v of x) {
      m2 += (v - mean) ** 2;
      m4 += (v - mean) ** 4;
      sq += v * v;
    }
    m2 /= x.length;
    m4 /= x.length;
    table.add(
      { time: (n - 1) * 10_000, hi: Math.sqrt(sq / x.length), kurtosis: m4 / (m2 * m2), failed },
      `${name}/ch${run.channel}`,
    );
  }
}

function resolveRuns(params: Spec, context: StageContext): ResolvedFile[][] {
  return params.runs.map((run) => resolveFiles([{ path: run.path }], context));
}

function read(params: Spec, runs: ResolvedFile[][]): SourceTable {
  const table = new TableBuilder();
  params.runs.forEach((run, i) => {
    const files = runs[i]!;
    if (run.format === 'ims-merged') for (const f of files) readIms(run, f, table);
    else readFemto(run, files, table);
  });
  return table.build('time');
}

export const bearingRunsSource: SourceStage<Spec, SourceTable> = {
  kind: 'source.bearing-runs',
  version: '1',
  async fingerprint(params, context) {
    const runs = resolveRuns(params, context);
    return { ...fingerprintFiles(runs.flat()), preloaded: runs };
  },
  async runWith(params, fp, context) {
    return read(params, (fp.preloaded as ResolvedFile[][] | undefined) ?? resolveRuns(params, context));
  },
  async run(params, _inputs, context) {
    return read(params, resolveRuns(params, context));
  },
};

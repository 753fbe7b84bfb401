import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { inputError, usageError } from '../../errors.js';
import type { StoredModel } from './stored-model.js';
import { OnnxModelSession } from '../onnx/onnx-session.js';

/**
 * `smx predict`: streams a CSV through a registered tree model's ONNX export
 * (onnxruntime-node) in chunks, so memory stays flat whatever the input size.
 * The header must name exactly the model's features (feature_names.txt), in
 * any order: a missing or an extra column is an error before any row is read.
 * Ordinal columns (AI4I's Type) are coded with the map stored at training.
 *
 * Output columns: classifier `prediction,probability` (binary: P(positive);
 * several classes: one probability_<label> each), regressor `prediction`,
 * isolation forest `anomaly_score,is_anomaly` (score higher = more abnormal,
 * flagged above the alarm threshold fixed at training), PCA monitor
 * `anomaly_score,is_anomaly,t2,q` (score = max(T²/limit, Q/limit)).
 */
export interface PredictOptions {
  chunkRows?: number;
  signal?: AbortSignal;
  /** How errors name the input (a file name, or "stdin"); default "the input". */
  source?: string;
}

export interface PredictSummary {
  rows: number;
  chunks: number;
  seconds: number;
  columns: string[];
}

export function checkColumns(header: string[], featureNames: readonly string[], modelLabel: string): number[] {
  const seen = new Set<string>();
  const duplicated = header.filter((h) => (seen.has(h) ? true : (seen.add(h), false)));
  const missing = featureNames.filter((f) => !seen.has(f));
  const wanted = new Set(featureNames);
  const extra = header.filter((h) => !wanted.has(h));
  if (missing.length || extra.length || duplicated.length) {
    const parts = [
      missing.length
        ? `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')}`
        : '',
      extra.length
        ? `extra column${extra.length > 1 ? 's' : ''} ${extra.map((c) => JSON.stringify(c)).join(', ')}`
        : '',
      duplicated.length
        ? `repeated column${duplicated.length > 1 ? 's' : ''} ${duplicated.map((c) => JSON.stringify(c)).join(', ')}`
        : '',
    ].filter(Boolean);
    throw inputError(`The input does not match ${modelLabel}'s features: ${parts.join('; ')}.`, {
      hint: `The header must name exactly these ${featureNames.length} columns (feature_names.txt), in any order: ${featureNames.join(', ')}.`,
      details: { missing, extra, duplicated, expected: featureNames },
    });
  }
  return featureNames.map((f) => header.indexOf(f));
}

export async function predictStream(
  model: StoredModel,
  input: Readable,
  output: Writable,
  options: PredictOptions = {},
): Promise<PredictSummary> {
  if (!model.onnxPath)
    throw usageError(
      `${model.name}@${model.version} is a ${model.entry.modelKind}: smx predict serves tree models (model.onnx).`,
    );
  const chunkRows = options.chunkRows ?? 10_000;
  const kind = model.entry.modelKind;
  const cols = model.featureNames.length;
  const ordinal =
    (model.params.encoding as { ordinal?: Record<string, Record<string, number>> } | undefined)?.ordinal ?? {};
  const classes = (model.params.classes as number[] | undefined) ?? [];
  const threshold = Number(model.params.threshold ?? 0.5);
  const alarm = Number(model.params.alarmThreshold ?? Infinity);
  const label = `${model.name}@${model.version}`;
  const columns =
    kind === 'isolation-forest'
      ? ['anomaly_score', 'is_anomaly']
      : kind === 'pca-monitor'
        ? ['anomaly_score', 'is_anomaly', 't2', 'q']
        : kind === 'random-forest-classifier'
          ? classes.length === 2
            ? ['prediction', 'probability']
            : ['prediction', ...classes.map((c) => `probability_${c}`)]
          : ['prediction'];
  const session = await OnnxModelSession.load(model.onnxPath);
  const started = performance.now();
  let rows = 0;
  let chunks = 0;
  const write = async (text: string) => {
    if (!output.write(text)) await once(output, 'drain');
  };
  try {
    const parser = input.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: false }));
    let order: number[] | undefined;
    let header: string[] = [];
    const codes = model.featureNames.map((f) => ordinal[f]);
    let buffer = new Float32Array(chunkRows * cols);
    let filled = 0;
    const flush = async () => {
      if (filled === 0) return;
      const out = await scoreChunk(session, kind, buffer.subarray(0, filled * cols), filled, cols, {
        classes,
        threshold,
        alarm,
      });
      await write(out);
      rows += filled;
      chunks++;
      filled = 0;
      buffer = new Float32Array(chunkRows * cols);
    };
    const source = options.source ?? 'the input';
    let line = 1;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!order) {
        header = record;
        order = checkColumns(record, model.featureNames, label);
        // The output header only once the input header is known to fit: a rejected input writes nothing.
        await write(columns.join(',') + '\n');
        continue;
      }
      line++;
      for (let j = 0; j < cols; j++) {
        const raw = record[order[j] as number] ?? '';
        const map = codes[j];
        const v = map ? (Object.hasOwn(map, raw) ? map[raw] : undefined) : raw === '' ? NaN : Number(raw);
        if (v === undefined || !Number.isFinite(v)) {
          throw inputError(
            `Line ${line} of ${source}, column ${JSON.stringify(header[order[j] as number])}: ${JSON.stringify(raw)} is not ${map ? `one of ${Object.keys(map).join(', ')}` : 'a number'}.`,
            {
              hint: `Every feature needs a ${map ? 'known category' : 'finite number'} on every row: fix or remove line ${line} and run again.`,
              details: { line, column: header[order[j] as number], value: raw },
            },
          );
        }
        buffer[filled * cols + j] = v;
      }
      filled++;
      if (filled === chunkRows) {
        options.signal?.throwIfAborted();
        await flush();
      }
    }
    if (!order) {
      throw inputError(
        `The input${options.source ? ` (${options.source})` : ''} is empty: expected a CSV header naming ${label}'s features.`,
        {
          hint: `Start the file with a header naming these ${cols} columns, in any order: ${model.featureNames.join(', ')}.`,
        },
      );
    }
    await flush();
  } finally {
    await session.release();
  }
  return { rows, chunks, seconds: (performance.now() - started) / 1000, columns };
}

const fmt = (v: number) => String(Math.round(v * 1e6) / 1e6);

async function scoreChunk(
  session: OnnxModelSession,
  kind: string,
  data: Float32Array,
  rows: number,
  cols: number,
  o: { classes: number[]; threshold: number; alarm: number },
): Promise<string> {
  const lines: string[] = new Array(rows);
  if (kind === 'random-forest-classifier') {
    const { labels, probabilities, nClasses } = await session.classify({ data, rows, cols });
    for (let r = 0; r < rows; r++) {
      if (nClasses === 2) {
        const p = probabilities[r * 2 + 1] as number;
        lines[r] = `${p >= o.threshold ? o.classes[1] : o.classes[0]},${fmt(p)}`;
      } else {
        lines[r] = [labels[r], ...Array.from(probabilities.subarray(r * nClasses, (r + 1) * nClasses), fmt)].join(',');
      }
    }
  } else if (kind === 'pca-monitor') {
    const out = await session.run({ data, rows, cols });
    const [score, t2, q] = [out.score, out.t2, out.q] as Float32Array[];
    if (!score || !t2 || !q) throw inputError('not an smx PCA monitor model: outputs score/t2/q missing');
    for (let r = 0; r < rows; r++) {
      const s = score[r]!;
      lines[r] = `${fmt(s)},${s > o.alarm ? 1 : 0},${fmt(t2[r]!)},${fmt(q[r]!)}`;
    }
  } else if (kind === 'isolation-forest') {
    const { score } = await session.scoreAnomalies({ data, rows, cols });
    for (let r = 0; r < rows; r++) {
      const s = -(score[r] as number);
      lines[r] = `${fmt(s)},${s > o.alarm ? 1 : 0}`;
    }
  } else {
    const y = await session.regress({ data, rows, cols });
    for (let r = 0; r < rows; r++) lines[r] = fmt(y[r] as number);
  }
  return lines.join('\n') + '\n';
}

/**
 * The current window of `smx drift --model`: a CSV in the format `smx predict`
 * takes (a header naming the model's features, in any order), from a file or
 * a stream (stdin). A missing feature column is a usage error naming it and
 * listing the expected ones; other columns are dropped with a note, so a raw
 * export with ids and labels can be checked as it is. Ordinal features may
 * hold labels (L, M, H) or their codes; codes are decoded like the reference.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isSmxError, SmxError, usageError } from '../../errors.js';
import { loadCsvDataset } from './csv-dataset.js';
import type { DriftColumn, DriftDataset } from '../types.js';
import { decodeOrdinal, type OrdinalMaps } from './load-model-reference.js';

export type CurrentSource = { path: string } | { stream: Readable; label: string };

export interface ModelCurrent {
  dataset: DriftDataset & { columns: Map<string, DriftColumn> };
  label: string;
  notes: string[];
}

const listed = (names: readonly string[], max = 8) =>
  names
    .slice(0, max)
    .map((n) => JSON.stringify(n))
    .join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');

/** Pure: keep the model's features in feature_names order; a missing one is a usage error. */
export function alignToFeatures(
  columns: ReadonlyMap<string, DriftColumn>,
  featureNames: readonly string[],
  ordinal: OrdinalMaps,
  where: { label: string; model: string },
): { columns: Map<string, DriftColumn>; extra: string[] } {
  const missing = featureNames.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw usageError(
      `${where.label} lacks ${where.model}'s feature column${missing.length > 1 ? 's' : ''} ${listed(missing, missing.length)}.`,
      {
        hint: `The header must name these ${featureNames.length} columns (feature_names.txt), in any order: ${featureNames.join(', ')}. Other columns are ignored.`,
        details: { missing, expected: featureNames },
      },
    );
  }
  const aligned = new Map<string, DriftColumn>();
  for (const name of featureNames) {
    const column = columns.get(name)!;
    const map = ordinal[name];
    aligned.set(
      name,
      map && column.kind === 'numeric' ? { kind: 'categorical', values: decodeOrdinal(column.values, map) } : column,
    );
  }
  const wanted = new Set(featureNames);
  return { columns: aligned, extra: [...columns.keys()].filter((c) => !wanted.has(c)) };
}

/** A stream is spooled to a temporary file: the CSV loader may read a column twice (see csv-dataset.ts). */
async function withFile<T>(source: CurrentSource, use: (file: string) => Promise<T>): Promise<T> {
  if ('path' in source) return use(source.path);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smx-drift-'));
  try {
    const file = path.join(dir, 'current.csv');
    await pipeline(source.stream, createWriteStream(file));
    return await use(file);
  } catch (error) {
    // Name the input as the user gave it, not the spool file.
    if (isSmxError(error) && error.message.includes(dir))
      throw new SmxError(error.code, error.message.replace(path.join(dir, 'current.csv'), source.label), {
        hint: error.hint,
        cause: error,
      });
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function loadModelCurrent(
  model: { name: string; version: number; featureNames: readonly string[] },
  ordinal: OrdinalMaps,
  source: CurrentSource,
  options: { delimiter?: string } = {},
): Promise<ModelCurrent> {
  const label = 'path' in source ? source.path : source.label;
  const csv = await withFile(source, (file) => loadCsvDataset(file, { delimiter: options.delimiter }));
  const { columns, extra } = alignToFeatures(csv.columns, model.featureNames, ordinal, {
    label,
    model: `${model.name}@${model.version}`,
  });
  const notes =
    extra.length > 0
      ? [
          `ignored ${extra.length} column${extra.length > 1 ? 's' : ''} of ${label} that ${extra.length > 1 ? 'are' : 'is'} not a feature of ${model.name}@${model.version}: ${listed(extra)}`,
        ]
      : [];
  return { dataset: { columns, totalRows: csv.rows, sampled: false }, label, notes };
}

/**
 * Load a drift dataset from a CSV file: header row, one feature per column.
 * A column is numeric when every non-missing value parses as a finite number,
 * else categorical. Rows stream through csv-parse and are dropped at once:
 * numeric columns accumulate into growable Float64Arrays, and only columns
 * that turn out categorical keep strings.
 *
 * Missing values: empty cells and the tokens NA, NaN, nan, null, NULL (NaN in
 * numeric columns, null in categorical ones; the tests exclude and count them).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { inputError, notFoundError } from '../../errors.js';
import { GrowableFloat64Array } from './growable-array.js';
import type { DriftColumn, DriftDataset } from '../types.js';

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL']);

export interface CsvDatasetOptions {
  delimiter?: string;
  /** Read only these columns (default: all). */
  columns?: readonly string[];
}

export interface CsvDataset extends DriftDataset {
  columns: Map<string, DriftColumn>;
  path: string;
  rows: number;
}

/** Per-column accumulator: numbers while the column stays numeric, strings once it does not. */
class ColumnBuilder {
  numbers: GrowableFloat64Array | null = new GrowableFloat64Array();
  strings: (string | null)[] | null = null;
  /** True while String(Number(text)) === text for every value so far (conversion to strings is lossless). */
  lossless = true;
  /** Set when the column turned categorical after lossy numbers: re-read it as text. */
  needsRereading = false;

  add(raw: string): void {
    const text = raw.trim();
    const missing = MISSING.has(text);
    if (this.numbers !== null) {
      const value = missing ? Number.NaN : Number(text);
      if (missing || Number.isFinite(value)) {
        this.numbers.push(value);
        if (!missing && this.lossless && String(value) !== text) this.lossless = false;
        return;
      }
      this.toStrings();
    }
    if (this.strings !== null) this.strings.push(missing ? null : text);
  }

  private toStrings(): void {
    const numbers = this.numbers!;
    this.numbers = null;
    if (!this.lossless) {
      this.needsRereading = true;
      return;
    }
    const strings: (string | null)[] = [];
    for (let i = 0; i < numbers.length; i++) {
      const v = numbers.get(i);
      strings.push(Number.isNaN(v) ? null : String(v));
    }
    this.strings = strings;
  }
}

function describeParseError(path: string, error: unknown): Error {
  const e = error as { code?: string; lines?: number; message?: string };
  return inputError(
    `Cannot read CSV ${path}${e.lines === undefined ? '' : ` at line ${e.lines}`}: ${e.message ?? String(error)}`,
    {
      details: { path, code: e.code },
      cause: error,
    },
  );
}

async function* records(path: string, delimiter: string): AsyncGenerator<string[]> {
  const parser = createReadStream(path).pipe(parse({ bom: true, delimiter, skip_empty_lines: true }));
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    throw describeParseError(path, error);
  }
}

/** Read a CSV file into numeric and categorical columns. */
export async function loadCsvDataset(path: string, options: CsvDatasetOptions = {}): Promise<CsvDataset> {
  try {
    await access(path);
  } catch (error) {
    throw notFoundError(`CSV file not found: ${path}`, { cause: error, details: { path } });
  }
  const delimiter = options.delimiter ?? ',';
  let header: string[] | null = null;
  let wanted: number[] = [];
  let builders: ColumnBuilder[] = [];
  let rows = 0;
  for await (const record of records(path, delimiter)) {
    if (header === null) {
      header = record.map((h) => h.trim());
      const duplicate = header.find((h, i) => header!.indexOf(h) !== i);
      if (duplicate !== undefined) throw inputError(`CSV ${path} has the column '${duplicate}' twice in its header`);
      for (const name of options.columns ?? []) {
        if (!header.includes(name))
          throw inputError(`CSV ${path} has no column '${name}'`, { details: { path, column: name } });
      }
      wanted = header
        .map((_, i) => i)
        .filter((i) => options.columns === undefined || options.columns.includes(header![i]!));
      builders = wanted.map(() => new ColumnBuilder());
      continue;
    }
    for (let k = 0; k < wanted.length; k++) builders[k]!.add(record[wanted[k]!] ?? '');
    rows++;
  }
  if (header === null) throw inputError(`CSV ${path} is empty: expected a header row`, { details: { path } });

  const reread = wanted.filter((_, k) => builders[k]!.needsRereading);
  if (reread.length > 0) {
    // Columns that went categorical after lossy numeric text: read their exact text again.
    const texts = new Map<number, (string | null)[]>(reread.map((i) => [i, []]));
    let first = true;
    for await (const record of records(path, delimiter)) {
      if (first) {
        first = false;
        continue;
      }
      for (const [i, list] of texts) {
        const text = (record[i] ?? '').trim();
        list.push(MISSING.has(text) ? null : text);
      }
    }
    wanted.forEach((i, k) => {
      if (texts.has(i)) builders[k]!.strings = texts.get(i)!;
    });
  }

  const columns = new Map<string, DriftColumn>();
  wanted.forEach((i, k) => {
    const b = builders[k]!;
    columns.set(
      header[i]!,
      b.numbers !== null
        ? { kind: 'numeric', values: b.numbers.toArray() }
        : { kind: 'categorical', values: b.strings! },
    );
  });
  return { columns, path, rows, totalRows: rows, sampled: false };
}

/** Load a reference and a current CSV and check they have the same columns. */
export async function loadDatasetPair(
  referencePath: string,
  currentPath: string,
  options: CsvDatasetOptions = {},
): Promise<{ reference: CsvDataset; current: CsvDataset }> {
  const [reference, current] = await Promise.all([
    loadCsvDataset(referencePath, options),
    loadCsvDataset(currentPath, options),
  ]);
  for (const name of reference.columns.keys()) {
    if (!current.columns.has(name)) {
      throw inputError(
        `Column '${name}' of the reference ${referencePath} is missing from the current ${currentPath}`,
        {
          hint: 'Both windows need the same columns; pass the columns to compare explicitly to ignore the others',
          details: { path: currentPath, column: name },
        },
      );
    }
  }
  for (const name of current.columns.keys()) {
    if (!reference.columns.has(name)) {
      throw inputError(
        `Column '${name}' of the current ${currentPath} is missing from the reference ${referencePath}`,
        {
          hint: 'Both windows need the same columns; pass the columns to compare explicitly to ignore the others',
          details: { path: referencePath, column: name },
        },
      );
    }
  }
  return { reference, current };
}

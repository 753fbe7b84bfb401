/**
 * Load a drift dataset from a CSV file: header row, one feature per column.
 * Only decimal numbers are numbers (`12`, `-3.5`, `.5`, `1e-3`; not `0x10`,
 * `1_000`, `Infinity` or `inf`). A column is numeric when at least 95 % of its
 * non-missing cells are numbers; its other cells (±inf as pandas writes it, a
 * stray word) are counted as invalid — excluded like missing values, with the
 * first one's line and text kept for the report — rather than turning the
 * whole column categorical. Below 95 % the column is categorical and every
 * cell is its text.
 *
 * Rows stream through csv-parse and are dropped at once: numeric columns
 * accumulate into growable Float64Arrays; text is kept only for columns whose
 * first value is not a number, and a column that turns out categorical
 * otherwise is read again as text (a second pass over that file).
 *
 * Missing values: empty cells and the tokens NA, NaN, nan, null, NULL (NaN in
 * numeric columns, null in categorical ones; the tests exclude and count them).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { inputError, notFoundError } from '../../errors.js';
import { GrowableFloat64Array } from './growable-array.js';
import type { DriftColumn, DriftDataset, InvalidCells } from '../types.js';

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL']);
/** Decimal notation only: sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A column is numeric when at least this share of its non-missing cells are decimal numbers. */
export const NUMERIC_SHARE = 0.95;

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

/** The number a cell holds, NaN when it is missing, undefined when it is not a decimal number. */
export function parseDecimal(text: string): number | undefined {
  if (MISSING.has(text)) return Number.NaN;
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined; // 1e999 overflows to Infinity: not a usable number
}

/** Per-column accumulator: every cell as a number (NaN when missing or invalid), text only while it may be needed. */
class ColumnBuilder {
  numbers = new GrowableFloat64Array();
  /** Cells as text, kept when the first non-missing cell was not a number (the column is likely categorical). */
  strings: (string | null)[] | null = null;
  private seenValue = false;
  present = 0;
  valid = 0;
  invalid: InvalidCells | undefined;

  add(raw: string, line: number): void {
    const text = raw.trim();
    const value = parseDecimal(text);
    const missing = MISSING.has(text);
    if (!missing && !this.seenValue) {
      this.seenValue = true;
      if (value === undefined) this.strings = Array.from({ length: this.numbers.length }, () => null);
    }
    this.strings?.push(missing ? null : text);
    this.numbers.push(value ?? Number.NaN);
    if (missing) return;
    this.present++;
    if (value !== undefined) this.valid++;
    else if (this.invalid) this.invalid.count++;
    else this.invalid = { count: 1, first: { line, text: text.length > 40 ? `${text.slice(0, 40)}…` : text } };
  }

  get numeric(): boolean {
    return this.present === 0 || (this.valid > 0 && this.valid >= NUMERIC_SHARE * this.present);
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

/** Records with the line each one ends on (1-based; the header is line 1). */
async function* records(path: string, delimiter: string): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = createReadStream(path).pipe(parse({ bom: true, delimiter, skip_empty_lines: true, info: true }));
  try {
    for await (const item of parser) {
      const { record, info } = item as { record: string[]; info: { lines: number } };
      yield { record, line: info.lines };
    }
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
  for await (const { record, line } of records(path, delimiter)) {
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
    for (let k = 0; k < wanted.length; k++) builders[k]!.add(record[wanted[k]!] ?? '', line);
    rows++;
  }
  if (header === null) throw inputError(`CSV ${path} is empty: expected a header row`, { details: { path } });

  const reread = wanted.filter((_, k) => !builders[k]!.numeric && builders[k]!.strings === null);
  if (reread.length > 0) {
    // Columns that turned out categorical after starting with numbers: read their exact text again.
    const texts = new Map<number, (string | null)[]>(reread.map((i) => [i, []]));
    let first = true;
    for await (const { record } of records(path, delimiter)) {
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
      b.numeric
        ? { kind: 'numeric', values: b.numbers.toArray(), ...(b.invalid ? { invalid: b.invalid } : {}) }
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

import { inputError, usageError } from '../../errors.js';
import { type FeatureMatrix } from './feature-matrix.js';
import { applyStandardScaler, fitStandardScaler, type StandardScaler } from './standard-scaler.js';

/**
 * Tabular features for record data such as AI4I 2020: choose columns, encode
 * categoricals, standardise with training statistics only.
 *
 *   const enc = fitTabular(trainTable, {
 *     drop: ['UDI', 'Product ID', 'Machine failure', 'TWF', 'HDF', 'PWF', 'OSF', 'RNF'],
 *     ordinal: { Type: { L: 0, M: 1, H: 2 } },
 *   });
 *   const xTrain = transformTabular(enc, trainTable);
 *   const xTest = transformTabular(enc, testTable); // training mean/std, training categories
 *
 * Columns not named in `ordinal`, `oneHot` or `drop` are numeric (strings are
 * parsed; a non-numeric value is bad input naming column and row). One-hot
 * categories are the sorted values seen in training; an unseen value at
 * transform time encodes as all zeros (sklearn's handle_unknown='ignore'). An
 * ordinal value missing from its map is bad input. Numeric and ordinal columns
 * are standardised unless `standardise: false`; one-hot columns stay 0/1.
 */
export type ColumnValues = ArrayLike<number> | readonly string[];
export type Table = Record<string, ColumnValues>;

export interface TabularSpec {
  /** Numeric columns to keep; default every column not listed elsewhere. */
  numeric?: string[];
  ordinal?: Record<string, Record<string, number>>;
  oneHot?: string[];
  drop?: string[];
  standardise?: boolean;
}

export interface TabularEncoder {
  numeric: string[];
  ordinal: Record<string, Record<string, number>>;
  oneHot: { column: string; categories: string[] }[];
  featureNames: string[];
  scaler: StandardScaler | null;
}

export function tableRows(table: Table): number {
  let rows: number | undefined;
  for (const [name, values] of Object.entries(table)) {
    if (rows !== undefined && values.length !== rows)
      throw inputError(`column ${name} has ${values.length} rows, others ${rows}`);
    rows = values.length;
  }
  return rows ?? 0;
}

export function selectColumns(table: Table, names: readonly string[]): Table {
  const out: Table = {};
  for (const name of names) {
    const values = table[name];
    if (values === undefined) throw inputError(`no column named ${name}`, { details: { columns: Object.keys(table) } });
    out[name] = values;
  }
  return out;
}

export function dropColumns(table: Table, names: readonly string[]): Table {
  const drop = new Set(names);
  return Object.fromEntries(Object.entries(table).filter(([name]) => !drop.has(name)));
}

function requireColumn(table: Table, name: string): ColumnValues {
  const values = table[name];
  if (values === undefined) throw inputError(`no column named ${name}`, { details: { columns: Object.keys(table) } });
  return values;
}

function numericValue(values: ColumnValues, r: number, name: string): number {
  const raw = values[r];
  const v = typeof raw === 'string' ? (raw.trim() === '' ? NaN : Number(raw)) : (raw as number);
  if (!Number.isFinite(v)) throw inputError(`column ${name}, row ${r}: ${JSON.stringify(raw)} is not a finite number`);
  return v;
}

/** Ordinal code of each value; throws bad input for a value missing from the map. */
export function ordinalEncode(values: ColumnValues, map: Record<string, number>, name = 'column'): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const key = String(values[r]);
    const code = Object.hasOwn(map, key) ? map[key] : undefined;
    if (code === undefined)
      throw inputError(`${name}, row ${r}: ${JSON.stringify(key)} is not one of ${Object.keys(map).join(', ')}`);
    out[r] = code;
  }
  return out;
}

/** 0/1 indicator columns, one per category, in the given order; unseen values give all zeros. */
export function oneHotEncode(values: ColumnValues, categories: readonly string[]): Float64Array[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const cols = categories.map(() => new Float64Array(values.length));
  for (let r = 0; r < values.length; r++) {
    const i = index.get(String(values[r]));
    if (i !== undefined) (cols[i] as Float64Array)[r] = 1;
  }
  return cols;
}

function rawFeatures(enc: Omit<TabularEncoder, 'scaler' | 'featureNames'>, table: Table): FeatureMatrix {
  const rows = tableRows(table);
  const names: string[] = [];
  const cols: Float64Array[] = [];
  for (const name of enc.numeric) {
    const values = requireColumn(table, name);
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = numericValue(values, r, name);
    names.push(name);
    cols.push(col);
  }
  for (const [name, map] of Object.entries(enc.ordinal)) {
    names.push(name);
    cols.push(ordinalEncode(requireColumn(table, name), map, name));
  }
  for (const { column, categories } of enc.oneHot) {
    names.push(...categories.map((c) => `${column}=${c}`));
    cols.push(...oneHotEncode(requireColumn(table, column), categories));
  }
  const data = new Float64Array(rows * cols.length);
  cols.forEach((col, j) => data.set(col, j * rows));
  return { featureNames: names, rows, data };
}

export function fitTabular(train: Table, spec: TabularSpec = {}): TabularEncoder {
  const ordinal = spec.ordinal ?? {};
  const oneHotNames = spec.oneHot ?? [];
  const claimed = new Set([...Object.keys(ordinal), ...oneHotNames, ...(spec.drop ?? [])]);
  const numeric = spec.numeric ?? Object.keys(train).filter((name) => !claimed.has(name));
  for (const name of numeric) {
    if (claimed.has(name))
      throw usageError(`column ${name} is listed as numeric and also as ordinal, one-hot or dropped`);
  }
  const oneHot = oneHotNames.map((column) => {
    const values = requireColumn(train, column);
    const seen = new Set<string>();
    for (let r = 0; r < values.length; r++) seen.add(String(values[r]));
    const categories = [...seen].sort();
    return { column, categories };
  });
  const base = { numeric, ordinal, oneHot };
  const raw = rawFeatures(base, train);
  const scaled = spec.standardise === false ? null : fitStandardScaler(raw, [...numeric, ...Object.keys(ordinal)]);
  return { ...base, featureNames: raw.featureNames, scaler: scaled };
}

export function transformTabular(encoder: TabularEncoder, table: Table): FeatureMatrix {
  const raw = rawFeatures(encoder, table);
  return encoder.scaler ? applyStandardScaler(encoder.scaler, raw) : raw;
}

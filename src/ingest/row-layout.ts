import { inputError, usageError } from '../errors.js';
import { sensorIdProblem } from './check-text.js';

/**
 * Which column of the header holds which field. Long files name the fields
 * (matched case-insensitively, renamed by --map); wide files have a time
 * column, an optional entity column, and one numeric column per sensor.
 */
export const longFields = ['sensor_id', 'timestamp', 'value', 'sensor_type', 'unit', 'quality', 'metadata'] as const;
export type LongField = (typeof longFields)[number];
const required: readonly LongField[] = ['sensor_id', 'timestamp', 'value'];

export interface LongLayout {
  kind: 'long';
  columnCount: number;
  index: Record<LongField, number>;
  ignored: string[];
}

export interface WideLayout {
  kind: 'wide';
  columnCount: number;
  timeIndex: number;
  entityIndex: number;
  /** Per column: the sensor name, or undefined for the time/entity columns. */
  sensorColumns: Array<string | undefined>;
}

export type RowLayout = LongLayout | WideLayout;

export interface LayoutOptions {
  /** Field name → the header name that holds it (--map sensor_id=Machine,...). */
  map?: Record<string, string>;
  wide?: { timeColumn: string; entityColumn?: string };
}

/** Parses --map "sensor_id=Machine,timestamp=Time". */
export function parseColumnMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [field, column, ...extra] = part.split('=');
    const name = field?.trim().toLowerCase() ?? '';
    if (!column || extra.length || !(longFields as readonly string[]).includes(name)) {
      throw usageError(
        `--map entry ${JSON.stringify(part)} is not FIELD=COLUMN with FIELD one of ${longFields.join(', ')}.`,
      );
    }
    map[name] = column.trim();
  }
  return map;
}

function findColumn(names: string[], wanted: string): number {
  const lower = wanted.trim().toLowerCase();
  const matches = names.flatMap((n, i) => (n.trim().toLowerCase() === lower ? [i] : []));
  if (matches.length > 1)
    throw inputError(`The header names column ${JSON.stringify(wanted)} ${matches.length} times.`);
  return matches[0] ?? -1;
}

/**
 * A wide file's sensor columns become sensor ids, so each needs a name of its
 * own: a repeated name would fold two columns into one sensor (the second
 * counted as duplicates), an empty one would make ids like `m1.`.
 */
function wideHeaderProblems(sensorColumns: ReadonlyArray<string | undefined>): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  sensorColumns.forEach((name, i) => {
    if (name === undefined) return;
    if (name.length === 0) return void problems.push(`column ${i + 1} has no name`);
    const seen = first.get(name);
    if (seen !== undefined) return void problems.push(`${JSON.stringify(name)} names columns ${seen + 1} and ${i + 1}`);
    first.set(name, i);
    const idProblem = sensorIdProblem(name);
    if (idProblem) problems.push(`column ${i + 1} (${JSON.stringify(name)}): ${idProblem}`);
  });
  return problems;
}

export function resolveLayout(header: string[], options: LayoutOptions): RowLayout {
  if (options.wide) {
    const timeIndex = findColumn(header, options.wide.timeColumn);
    if (timeIndex < 0)
      throw inputError(`The header has no time column ${JSON.stringify(options.wide.timeColumn)} (--time-column).`, {
        details: { header },
      });
    const entityIndex = options.wide.entityColumn ? findColumn(header, options.wide.entityColumn) : -1;
    if (options.wide.entityColumn && entityIndex < 0)
      throw inputError(
        `The header has no entity column ${JSON.stringify(options.wide.entityColumn)} (--entity-column).`,
      );
    const sensorColumns = header.map((name, i) => (i === timeIndex || i === entityIndex ? undefined : name.trim()));
    const problems = wideHeaderProblems(sensorColumns);
    if (problems.length)
      throw inputError(`The header cannot name sensors: ${problems.join('; ')}.`, {
        hint: 'Each sensor column of a wide file needs its own non-empty name; rename or remove the columns named.',
        details: { header, problems },
      });
    if (!sensorColumns.some(Boolean))
      throw inputError('A wide file needs at least one sensor column besides the time (and entity) column.');
    return { kind: 'wide', columnCount: header.length, timeIndex, entityIndex, sensorColumns };
  }
  const index = {} as Record<LongField, number>;
  for (const field of longFields) index[field] = findColumn(header, options.map?.[field] ?? field);
  const missing = required.filter((f) => index[f] < 0);
  if (missing.length) {
    throw inputError(`The header lacks ${missing.map((m) => options.map?.[m] ?? m).join(', ')}.`, {
      hint: 'Long files need sensor_id, timestamp and value columns (any case); rename others with --map sensor_id=Machine,timestamp=Time, or use --wide.',
      details: { header },
    });
  }
  const used = new Set(Object.values(index));
  return { kind: 'long', columnCount: header.length, index, ignored: header.filter((_, i) => !used.has(i)) };
}

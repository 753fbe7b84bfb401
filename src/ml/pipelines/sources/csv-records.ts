import { parse as parseCsv } from 'csv-parse/sync';
import { inputError } from '../../../errors.js';

/**
 * Reads one delimited text file into records keyed by column name.
 *
 * - `delimiter`: one character (`,`, `;`, tab…), or `whitespace`: fields
 *   separated by any run of spaces or tabs, leading and trailing blanks
 *   ignored (NASA C-MAPSS: single spaces between fields and two trailing
 *   spaces on every line).
 * - `columns`: the file has no header row; these are its column names, in
 *   order, and every row must have exactly that many fields. Absent: the first
 *   non-empty line is the header.
 *
 * A row with the wrong number of fields is bad input naming file:line and the
 * counts, so a wrong `columns` list or delimiter is caught at the first row
 * rather than as shifted values.
 */
export interface CsvLayout {
  delimiter: string;
  columns?: readonly string[] | undefined;
}

export function readCsvRecords(text: Buffer | string, display: string, layout: CsvLayout): Record<string, string>[] {
  if (layout.delimiter === 'whitespace') return readWhitespaceRecords(text.toString('utf8'), display, layout.columns);
  try {
    return parseCsv(text, {
      columns: layout.columns ? [...layout.columns] : true,
      bom: true,
      delimiter: layout.delimiter,
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw inputError(`${display}: not readable as CSV: ${(error as Error).message}`, {
      cause: error,
      ...(layout.columns
        ? { hint: `The pipeline declares ${layout.columns.length} columns for this header-less file.` }
        : {}),
    });
  }
}

function readWhitespaceRecords(
  text: string,
  display: string,
  declared: readonly string[] | undefined,
): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records: Record<string, string>[] = [];
  let columns = declared;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const fields = line.split(/[ \t]+/);
    if (!columns) {
      columns = fields;
      continue;
    }
    if (fields.length !== columns.length)
      throw inputError(
        `${display}:${i + 1}: ${fields.length} whitespace-separated fields, expected ${columns.length} (${columns.join(' ')})`,
        {
          hint: declared
            ? 'Check `columns` in the pipeline: it names every field of this header-less file, in order.'
            : 'Every row must have as many fields as the header line.',
        },
      );
    const record: Record<string, string> = {};
    for (let j = 0; j < fields.length; j++) record[columns[j] as string] = fields[j] as string;
    records.push(record);
  }
  return records;
}

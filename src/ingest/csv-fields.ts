/**
 * Splits one CSV line (text[start, end), no line terminator) into fields.
 * RFC 4180 quoting ("" inside quotes is a quote), with one deliberate
 * restriction: a quoted field cannot span lines. A newline inside quotes is
 * reported as unbalanced quotes, so one stray quote costs one rejected line
 * instead of swallowing the rest of the file, and line numbers stay physical.
 *
 * Returns the field count, `maxFields + 1` as soon as there are more fields than
 * expected, or a negative code. A char loop rather than indexOf: indexOf cannot
 * stop at `end`, which would make a block of comma-less lines quadratic.
 */
export const CsvLineError = { unbalancedQuote: -1, textAfterQuote: -2 } as const;

export function csvLineProblem(code: number): string {
  return code === CsvLineError.unbalancedQuote ? 'unbalanced quotes' : 'characters after a closing quote';
}

export function splitCsvLine(
  text: string,
  start: number,
  end: number,
  delimiter: number,
  fields: string[],
  maxFields: number,
): number {
  let count = 0;
  let i = start;
  for (;;) {
    if (count === maxFields) return maxFields + 1;
    if (i < end && text.charCodeAt(i) === 34) {
      i += 1;
      let value = '';
      let pieceStart = i;
      for (;;) {
        while (i < end && text.charCodeAt(i) !== 34) i += 1;
        if (i >= end) return CsvLineError.unbalancedQuote;
        value += text.slice(pieceStart, i);
        if (i + 1 < end && text.charCodeAt(i + 1) === 34) {
          value += '"';
          i += 2;
          pieceStart = i;
          continue;
        }
        i += 1;
        break;
      }
      fields[count++] = value;
      if (i === end) return count;
      if (text.charCodeAt(i) !== delimiter) return CsvLineError.textAfterQuote;
      i += 1;
    } else {
      const fieldStart = i;
      while (i < end && text.charCodeAt(i) !== delimiter) i += 1;
      fields[count++] = text.slice(fieldStart, i);
      if (i === end) return count;
      i += 1;
    }
  }
}

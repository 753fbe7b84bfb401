import { inputError } from '../../../errors.js';
import type { SourceTable } from '../types.js';

/**
 * Collects records from several files (or a query) into one SourceTable:
 * the union of their columns, a group per row, and each column typed once at
 * the end: numeric when every non-empty value parses as a finite number (empty
 * cells become NaN), text otherwise.
 */
export class TableBuilder {
  private readonly raw = new Map<string, unknown[]>();
  private readonly groupNames: string[] = [];
  private readonly groupIndex: number[] = [];
  private rows = 0;

  add(record: Record<string, unknown>, group: string): void {
    let g =
      this.groupNames.length > 0 && this.groupNames[this.groupNames.length - 1] === group
        ? this.groupNames.length - 1
        : this.groupNames.indexOf(group);
    if (g < 0) {
      g = this.groupNames.length;
      this.groupNames.push(group);
    }
    for (const [name, value] of Object.entries(record)) {
      let column = this.raw.get(name);
      if (!column) {
        column = new Array<unknown>(this.rows).fill(null);
        this.raw.set(name, column);
      }
      column[this.rows] = value;
    }
    this.rows++;
    this.groupIndex.push(g);
    for (const column of this.raw.values()) if (column.length < this.rows) column.length = this.rows;
  }

  build(timeColumn: string | undefined): SourceTable {
    const columns: SourceTable['columns'] = {};
    for (const [name, values] of this.raw) columns[name] = typeColumn(values);
    let time: Float64Array | null = null;
    if (timeColumn) {
      const values = this.raw.get(timeColumn);
      if (!values)
        throw inputError(`time column ${JSON.stringify(timeColumn)} is not in the source`, {
          details: { columns: [...this.raw.keys()] },
        });
      time = Float64Array.from(values, (v, r) => parseTime(v, timeColumn, r));
    }
    return {
      shape: 'table',
      rows: this.rows,
      columns,
      groups: { names: this.groupNames, index: Int32Array.from(this.groupIndex) },
      time,
    };
  }
}

function typeColumn(values: unknown[]): Float64Array | string[] {
  const numbers = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || v === undefined || v === '') numbers[r] = NaN;
    else if (typeof v === 'number') numbers[r] = v;
    else if (typeof v === 'boolean') numbers[r] = v ? 1 : 0;
    else {
      const n = typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(n))
        return values.map((x) =>
          x === null || x === undefined ? '' : x instanceof Date ? x.toISOString() : String(x),
        );
      numbers[r] = n;
    }
  }
  return numbers;
}

/** ISO-8601 or epoch milliseconds; a timestamp without a zone is read as UTC (SKAB logs local testbed time without one). */
export function parseTime(v: unknown, column: string, row: number): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const s = String(v ?? '').trim();
  const withZone = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? s.replace(' ', 'T') + 'Z' : s;
  const t = Date.parse(withZone);
  if (!Number.isFinite(t))
    throw inputError(`time column ${column}, row ${row}: ${JSON.stringify(s)} is not a timestamp`);
  return t;
}

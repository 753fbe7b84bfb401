import { createRequire } from 'node:module';
import type TableType from 'cli-table3';

// cli-table3 (CommonJS) is required on the first table, not imported with the
// command table: commands that print none (export from cron) start without it.
const require = createRequire(import.meta.url);
let Table: typeof TableType | undefined;

/** A plain cli-table3 table; colours only when stdout is a terminal. */
export function renderTable(head: string[], rows: Array<Array<string | number>>): string {
  Table ??= require('cli-table3') as typeof TableType;
  const table = new Table({
    head,
    style: { head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [] },
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

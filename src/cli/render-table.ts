import Table from 'cli-table3';

/** A plain cli-table3 table; colours only when stdout is a terminal. */
export function renderTable(head: string[], rows: Array<Array<string | number>>): string {
  const table = new Table({ head, style: { head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [] } });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

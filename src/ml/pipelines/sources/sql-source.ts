import { createHash } from 'node:crypto';
import { inputError, usageError } from '../../../errors.js';
import type { SourceStage } from '../../../pipeline/stage.js';
import type { SourceSpec } from '../../../pipeline/schema.js';
import type { SourceTable } from '../types.js';
import { bindWindow } from './sql-window.js';
import { TableBuilder } from './table-builder.js';

type SqlSpec = Extract<SourceSpec, { kind: 'sql' }>;

/**
 * A query over smx's own tables (sensor_readings, the sensor_hourly view, …),
 * so a model trains on what `smx ingest` loaded. The query runs inside a
 * READ ONLY transaction. Its fingerprint is the sha256 of the rows it returned
 * (with the query text), so new readings make a new cache key and an unchanged
 * table is a cache hit. Rows are grouped by `groupColumn` (e.g. sensor_id).
 * `${SMX_WINDOW_FROM}`/`${SMX_WINDOW_TO}` in the query are bound parameters
 * (sql-window.ts): all data by default, a data window under `smx retrain`.
 */
export const sqlSource: SourceStage<SqlSpec, SourceTable> = {
  kind: 'source.sql',
  version: '1',
  async fingerprint(params, context) {
    if (!context.database)
      throw usageError('this pipeline reads from PostgreSQL, but no database was given to the run');
    const db = await context.database();
    const bound = bindWindow(params.query, context.env);
    const { rows } = await db.query(`select * from (${bound.text.replace(/;\s*$/, '')}) as smx_source`, bound.values);
    const h = createHash('sha256').update(params.query).update('\0');
    // The window is named only when the query uses it, so hashes of other queries are unchanged.
    if (bound.window) h.update(`${bound.window.from}..${bound.window.to}`).update('\0');
    for (const row of rows) h.update(JSON.stringify(row)).update('\n');
    const hash = h.digest('hex');
    const name = `sql:${params.query.trim()}${bound.window ? ` [${bound.window.from}, ${bound.window.to})` : ''}`;
    return { hash, dataHashes: { [name]: hash }, preloaded: rows };
  },
  async runWith(params, fingerprint) {
    return toTable(params, fingerprint.preloaded as Record<string, unknown>[]);
  },
  async run(params, _inputs, context) {
    return this.runWith(params, await this.fingerprint(params, context), context);
  },
};

function toTable(params: SqlSpec, rows: Record<string, unknown>[]): SourceTable {
  if (rows.length < params.minRows) {
    throw inputError(`the query returned ${rows.length} row(s); the pipeline needs at least ${params.minRows}.`, {
      hint: 'Load readings first (smx generate, then smx ingest), or lower source.minRows.',
    });
  }
  const table = new TableBuilder();
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) record[k] = v instanceof Date ? v.toISOString() : v;
    const group = params.groupColumn ? String(row[params.groupColumn] ?? '') : 'query';
    table.add(record, group);
  }
  if (params.groupColumn && !(params.groupColumn in rows[0]!))
    throw inputError(`the query has no column ${params.groupColumn} (source.groupColumn)`);
  return table.build(params.timeColumn);
}

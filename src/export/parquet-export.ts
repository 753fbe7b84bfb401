import type { Writable } from 'node:stream';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { DbClient } from '../db/db.js';
import {
  declareExportCursor,
  fetchExportRows,
  type ExportFilters,
  type SnapshotWindow,
} from '../db/queries/sensor-readings-export.js';

/**
 * Parquet export: a server-side cursor read in chunks, one Parquet row group
 * per chunk, flushed to the output stream before the next chunk is fetched, so
 * memory holds one chunk whatever the table size. Columns keep their types:
 * `timestamp` is INT64 TIMESTAMP(MICROS, UTC), `value` DOUBLE, `quality` FLOAT;
 * pandas, polars and DuckDB read them as such. Same columns and order as CSV.
 */

const schema = [
  { name: 'root', num_children: 6 },
  { name: 'sensor_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'sensor_type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'value', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'unit', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  {
    name: 'timestamp',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    repetition_type: 'REQUIRED',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
  },
  { name: 'quality', type: 'FLOAT', repetition_type: 'REQUIRED' },
] as const;

/** A hyparquet Writer whose flush hands the bytes so far to a Node stream, honouring backpressure. */
function streamWriter(out: Writable): ByteWriter & { flush(): Promise<void>; finish(): Promise<void> } {
  const writer = new ByteWriter(1 << 20) as ByteWriter & {
    flush(): Promise<void>;
    finish(): Promise<void>;
    index: number;
    buffer: ArrayBuffer;
  };
  writer.flush = () => {
    if (writer.index === 0) return Promise.resolve();
    const chunk = Buffer.from(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      out.once('error', onError);
      const done = () => {
        out.off('error', onError);
        resolve();
      };
      if (out.write(chunk)) done();
      else out.once('drain', done);
    });
  };
  writer.finish = () => writer.flush();
  return writer;
}

export async function copyToParquet(
  client: DbClient,
  out: Writable,
  filters: ExportFilters,
  window?: SnapshotWindow,
  options: { chunkRows?: number; signal?: AbortSignal | undefined } = {},
): Promise<number> {
  const chunkRows = options.chunkRows ?? 100_000;
  const writer = streamWriter(out);
  const parquet = new ParquetWriter({ writer, schema: schema as never, codec: 'SNAPPY', createdBy: 'smx' });
  let rows = 0;
  await client.query('begin isolation level repeatable read read only');
  try {
    await declareExportCursor(client, 'smx_parquet_export', filters, window);
    for (;;) {
      options.signal?.throwIfAborted(); // between row groups: one chunk's fetch at most
      const chunk = await fetchExportRows(client, 'smx_parquet_export', chunkRows);
      if (chunk.length === 0) break;
      const n = chunk.length;
      const values = new Float64Array(n);
      const quality = new Float32Array(n);
      const micros = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const row = chunk[i]!;
        values[i] = row.value;
        quality[i] = row.quality;
        micros[i] = BigInt(row.ts_us);
      }
      await parquet.write({
        columnData: [
          { name: 'sensor_id', data: chunk.map((r) => r.sensor_id) },
          { name: 'sensor_type', data: chunk.map((r) => r.sensor_type) },
          { name: 'value', data: values },
          { name: 'unit', data: chunk.map((r) => r.unit) },
          { name: 'timestamp', data: micros },
          { name: 'quality', data: quality },
        ],
        rowGroupSize: n,
      });
      rows += n;
      if (n < chunkRows) break;
    }
    await parquet.finish();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
  return rows;
}

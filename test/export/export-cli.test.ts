import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';
import { writeReadings } from '../../src/ingest/write-readings.js';

describe('smx export (subprocess)', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-export-cli-');
    const at = (m: number) => Date.UTC(2024, 0, 1, 0, m);
    await t.db.transaction((c) =>
      writeReadings(
        c,
        [
          { sensorId: 'b', ts: at(1), value: 2.5, sensorType: 'pressure', unit: 'bar' },
          { sensorId: 'a', ts: at(2), value: -1, quality: 0.5, sensorType: 'temperature', unit: 'C' },
          { sensorId: 'a', ts: at(1), value: 0.1 },
          { sensorId: 'b', ts: at(3), value: 1e-7 },
        ],
        { batchId: null, prepareWith: t.db },
      ),
    );
  });
  after(async () => {
    await t?.drop();
  });
  const env = () => ({ SMX_DATABASE_URL: t.url });

  it('CSV: header once, the documented columns, UTC ISO-8601, ordered by sensor then time', async () => {
    const result = await runCli(['export'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'sensor_id,sensor_type,value,unit,timestamp,quality',
        'a,temperature,0.1,C,2024-01-01T00:01:00.000000Z,1',
        'a,temperature,-1,C,2024-01-01T00:02:00.000000Z,0.5',
        'b,pressure,2.5,bar,2024-01-01T00:01:00.000000Z,1',
        'b,pressure,1e-07,bar,2024-01-01T00:03:00.000000Z,1',
        '',
      ].join('\n'),
    );
  });

  it('filters by time and sensor; NDJSON lines are JSON; --json summary with a file', async () => {
    const file = path.join(dir, 'b.ndjson');
    const result = await runCli(
      ['export', '--format', 'ndjson', '--sensor', 'b', '--since', '2024-01-01T00:02:00Z', '-o', file, '--json'],
      { env: env() },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { rows: number }).rows, 1);
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(rows, [
      {
        sensor_id: 'b',
        sensor_type: 'pressure',
        value: 1e-7,
        unit: 'bar',
        timestamp: '2024-01-01T00:03:00.000000Z',
        quality: 1,
      },
    ]);
  });

  it('--format parquet: typed columns (DOUBLE, TIMESTAMP micros UTC, FLOAT), same rows and order as CSV', async () => {
    const file = path.join(dir, 'all.parquet');
    const result = await runCli(['export', '--format', 'parquet', '-o', file, '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { rows: number }).rows, 4);
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const types = Object.fromEntries(
      metadata.schema.slice(1).map((s) => [s.name, [s.type, s.logical_type?.type ?? s.converted_type ?? null]]),
    );
    assert.deepEqual(types, {
      sensor_id: ['BYTE_ARRAY', 'UTF8'],
      sensor_type: ['BYTE_ARRAY', 'UTF8'],
      value: ['DOUBLE', null],
      unit: ['BYTE_ARRAY', 'UTF8'],
      timestamp: ['INT64', 'TIMESTAMP'],
      quality: ['FLOAT', null],
    });
    const rows = await parquetReadObjects({ file: buffer });
    assert.deepEqual(
      rows.map((r) => [r.sensor_id, r.value, (r.timestamp as Date).toISOString(), r.quality]),
      [
        ['a', 0.1, '2024-01-01T00:01:00.000Z', 1],
        ['a', -1, '2024-01-01T00:02:00.000Z', 0.5],
        ['b', 2.5, '2024-01-01T00:01:00.000Z', 1],
        ['b', 1e-7, '2024-01-01T00:03:00.000Z', 1],
      ],
    );
  });

  it('an output folder that does not exist is a usage error (exit 2) naming it, and nothing is left behind', async () => {
    const missing = path.join(dir, 'no-such-folder');
    const oneOff = await runCli(['export', '-o', path.join(missing, 'x.csv')], { env: env() });
    assert.equal(oneOff.code, 2);
    assert.match(oneOff.stderr, /the folder .*no-such-folder does not exist[\s\S]*mkdir -p/);
    const incremental = await runCli(['export', '--incremental', '--state', 'missing', '-o', missing], { env: env() });
    assert.equal(incremental.code, 2);
  });

  it('incremental with no new rows exits 0 and says 0 rows', async () => {
    const first = await runCli(['export', '--incremental', '--state', 's', '-o', dir, '--json'], { env: env() });
    const second = await runCli(['export', '--incremental', '--state', 's', '-o', dir, '--json'], { env: env() });
    assert.equal((JSON.parse(first.stdout) as { rows: number }).rows, 4);
    assert.equal(second.code, 0);
    assert.equal((JSON.parse(second.stdout) as { rows: number }).rows, 0);
  });
});

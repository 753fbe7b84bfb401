import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { trainPipeline } from '../../../src/train/train-pipeline.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { packageRoot } from '../../../src/package-root.js';
import { isSmxError } from '../../../src/errors.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../../helpers/database.js';

let tdb: TestDatabase;
const dir = tempDir('smx-sql-pipeline-');
const start = Date.parse('2026-03-02T00:00:00Z');

/** Readings every 15 minutes for `hours` hours: three sensors on different scales, one with a spike. */
async function insertReadings(fromHour: number, hours: number): Promise<void> {
  const rows: string[] = [];
  for (let h = fromHour; h < fromHour + hours; h++) {
    for (let q = 0; q < 4; q++) {
      const ts = new Date(start + h * 3_600_000 + q * 900_000).toISOString();
      const daily = Math.sin((2 * Math.PI * h) / 24);
      rows.push(`('temp-1', '${ts}', ${20 + 2 * daily + 0.1 * q})`);
      rows.push(`('press-1', '${ts}', ${1000 + 5 * daily + (h === 30 ? 80 : 0)})`);
      rows.push(`('vib-1', '${ts}', ${0.5 + 0.05 * daily + 0.01 * q})`);
    }
  }
  await tdb.db.query(`select smx_ensure_partitions($1::timestamptz, $2::timestamptz)`, [
    new Date(start).toISOString(),
    new Date(start + 10 * 86_400_000).toISOString(),
  ]);
  await tdb.db.query(`insert into sensor_readings (sensor_id, ts, value) values ${rows.join(',')}`);
}

before(async () => {
  tdb = await createTestDatabase();
});
after(async () => {
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a pipeline whose source is sensor_hourly in PostgreSQL', () => {
  const loaded = loadPipeline(path.join(packageRoot, 'pipelines', 'sensor-hourly-if.yaml'));
  const options = () => ({
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    modelsDir: path.join(dir, 'models'),
    database: async () => tdb.db,
  });

  it('says what to do when the tables are empty', async () => {
    await assert.rejects(
      trainPipeline(loaded, options()),
      (e: unknown) => isSmxError(e) && e.exitCode === 3 && /smx ingest/.test(e.hint ?? ''),
    );
  });

  it('trains on the hourly aggregates, flags the spike hour, and caches by the query result', async () => {
    await insertReadings(0, 48);
    const first = await trainPipeline(loaded, options());
    assert.equal(first.registered.version, 1);
    assert.equal(first.metrics.nTest, 3 * 48);
    assert.ok(first.metrics.metrics.alarm_share! > 0 && first.metrics.metrics.alarm_share! < 0.05);
    assert.match(Object.keys(first.dataHashes)[0]!, /^sql:select sensor_id/);
    const again = await trainPipeline(loaded, options());
    assert.equal(again.upToDate, true);
    assert.equal(again.registered.version, 1);
    await insertReadings(48, 6);
    const more = await trainPipeline(loaded, options());
    assert.equal(more.stages[0]!.status, 'ran');
    assert.equal(more.registered.version, 2);
    assert.equal(more.metrics.nTest, 3 * 54);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 16, items 6 and 7, through the CLI: rows PostgreSQL would refuse go to
 * the rejects file with their line, field and reason, and the load completes.
 */
describe('smx ingest: hostile rows are rejected, the load completes', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase();
    dir = tempDir('smx-hostile-');
  });
  after(async () => {
    await t?.drop();
  });
  const env = () => ({ SMX_DATABASE_URL: t.url, SMX_LOG_LEVEL: 'error' });
  const rejects = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; field: string; reason: string });
  async function ingest(name: string, text: string, extra: string[] = []) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const rejectsFile = `${file}.rejects.ndjson`;
    const result = await runCli(['ingest', file, '--json', '--rejects', rejectsFile, ...extra], { env: env() });
    return { ...result, rejectsFile, summary: result.stdout ? JSON.parse(result.stdout) : undefined };
  }

  const header = 'sensor_id,timestamp,value,metadata\n';
  const good = (sensor: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${sensor},2024-01-01T00:${String(i).padStart(2, '0')}:00Z,${i},\n`).join('');

  it('NUL and unpaired surrogates in CSV metadata', async () => {
    const r = await ingest(
      'nul.csv',
      header +
        good('c1', 3) +
        'c3,2024-01-01T00:00:00Z,1,"{""a"":""\\u0000""}"\n' +
        'c4,2024-01-01T00:00:00Z,1,"{""k"":""\\ud800""}"\n' +
        'c5,2024-01-01T00:00:00Z,1,"{""k"":""\\ud83d\\ude00""}"\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.inserted, 4);
    assert.equal(r.summary.rejected, 2);
    const [nul, surrogate] = rejects(r.rejectsFile);
    assert.deepEqual([nul!.line, nul!.field], [5, 'metadata']);
    assert.match(nul!.reason, /NUL/);
    assert.deepEqual([surrogate!.line, surrogate!.field], [6, 'metadata']);
    assert.match(surrogate!.reason, /surrogate/);
  });

  it('NDJSON metadata nested 5,000 deep (a 25 KB line) and a NUL in a key', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const r = await ingest(
      'deep.ndjson',
      '{"sensor_id":"n1","timestamp":"2024-01-01T00:00:00Z","value":1}\n' +
        `{"sensor_id":"n2","timestamp":"2024-01-01T00:00:00Z","value":1,"metadata":${deep}}\n` +
        '{"sensor_id":"n3","timestamp":"2024-01-01T00:00:00Z","value":1,"metadata":{"a\\u0000":1}}\n' +
        '{"sensor_id":"n4","timestamp":"2024-01-01T00:00:00Z","value":1}\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.inserted, 2);
    const [deepReject, keyReject] = rejects(r.rejectsFile);
    assert.deepEqual([deepReject!.line, deepReject!.field], [2, 'metadata']);
    assert.match(deepReject!.reason, /nested deeper than 32/);
    assert.deepEqual([keyReject!.line, keyReject!.field], [3, 'metadata']);
  });

  it('1e308 magnitudes are rejected with the limit; the hourly average is never Infinity', async () => {
    // Twice: first into an empty table (the partition COPY path), then again beside stored rows (staging).
    for (const name of ['overflow-1.csv', 'overflow-2.csv']) {
      const r = await ingest(
        name,
        'sensor_id,timestamp,value\n' +
          `o1,2024-01-01T00:00:0${name.at(-5)}Z,1e308\n` +
          `o1,2024-01-01T00:00:1${name.at(-5)}Z,1e308\n` +
          `o1,2024-01-01T00:00:2${name.at(-5)}Z,-1e101\n` +
          `o1,2024-01-01T00:00:3${name.at(-5)}Z,1e100\n`,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.summary.inserted, 1);
      const reasons = rejects(r.rejectsFile);
      assert.deepEqual(
        reasons.map((x) => [x.line, x.field]),
        [
          [2, 'value'],
          [3, 'value'],
          [4, 'value'],
        ],
      );
      assert.match(reasons[0]!.reason, /magnitude limit of ±1e\+100/);
    }
    const { rows } = await t.db.query<{ avg: number; sum: number }>(
      `select avg, h.sum from sensor_hourly s join sensor_readings_hourly h using (sensor_id, bucket) where sensor_id = 'o1'`,
    );
    assert.equal(rows.length, 1);
    assert.ok(Number.isFinite(rows[0]!.avg) && Number.isFinite(rows[0]!.sum));
    assert.equal(rows[0]!.sum, 2e100);
  });

  it('sensor ids with a trailing no-break space or a bidi override are rejected, named', async () => {
    const r = await ingest(
      'ids.csv',
      'sensor_id,timestamp,value\n' +
        'pump-7,2024-01-01T00:00:00Z,1\n' +
        'pump-7\u00a0,2024-01-01T00:00:00Z,2\n' +
        'pump-\u202e7,2024-01-01T00:00:00Z,3\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.inserted, 1);
    assert.deepEqual(
      rejects(r.rejectsFile).map((x) => [x.line, x.field]),
      [
        [3, 'sensor_id'],
        [4, 'sensor_id'],
      ],
    );
  });

  it('one poison row in the middle of a large file: every other row is loaded, and a re-run is a no-op', async () => {
    const lines: string[] = ['sensor_id,timestamp,value,metadata'];
    const rows = 30_000;
    const base = Date.UTC(2024, 1, 1);
    for (let i = 0; i < rows; i++) {
      const ts = new Date(base + i * 1000).toISOString();
      lines.push(i === 15_000 ? `big,${ts},${i},"{""a"":""\\u0000""}"` : `big,${ts},${i},`);
    }
    const text = lines.join('\n') + '\n';
    const r = await ingest('big.csv', text, ['--batch-size', '4000']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.inserted, rows - 1);
    assert.deepEqual(
      rejects(r.rejectsFile).map((x) => x.line),
      [15_002],
    );
    const again = await ingest('big.csv', text, ['--batch-size', '4000']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.summary.status, 'duplicate');
  });
});

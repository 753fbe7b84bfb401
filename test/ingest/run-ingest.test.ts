import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import {
  closeTestCaches,
  deleteKeys,
  openTestCache,
  redisAvailable,
  testPrefix,
  testRedisUrl,
} from '../helpers/redis.js';
import { runIngest, type IngestOptions } from '../../src/ingest/run-ingest.js';
import { silentLogger } from '../../src/log.js';
import { isSmxError } from '../../src/errors.js';

const header = 'sensor_id,timestamp,value,quality\n';
const good = (i: number, sensor = 's1') =>
  `${sensor},${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${i}.5,1\n`;

describe('runIngest', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase({ poolSize: 6 });
    dir = tempDir('smx-ingest-');
  });
  after(async () => {
    await closeTestCaches();
    await t?.drop();
  });
  const options = (input: string, extra: Partial<IngestOptions> = {}): IngestOptions => ({
    input,
    stdin: Readable.from([]),
    format: 'csv',
    logger: silentLogger(),
    workers: 2,
    ...extra,
  });
  const count = async (where = 'true') =>
    (await t.db.query<{ n: number }>(`select count(*)::bigint as n from sensor_readings where ${where}`)).rows[0]!.n;
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('rejects every kind of bad row with line, raw text, field and reason, and loads the rest', async () => {
    const lines = [
      '\ufeffSensor_ID,TIMESTAMP,value,quality\r\n', // BOM, CRLF and header case are accepted
      good(0).replace('\n', '\r\n'),
      's1,2024-01-01T00:01:00Z,1\n', // wrong column count
      ',2024-01-01T00:02:00Z,1,1\n', // empty sensor_id
      's1,"2024-01-01T00:03:00Z,1,1\n', // unbalanced quotes
      '\n', // empty line: skipped, counted
      's1,2024-01-01T00:04:00Z,NaN,1\n',
      's1,2024-01-01T00:05:00Z,Infinity,1\n',
      's1,2024-01-01T00:06:00Z,,1\n', // empty value
      's1,not-a-time,1,1\n',
      's1,2024-13-01T00:00:00Z,1,1\n', // impossible month
      's1,2150-01-01T00:00:00Z,1,1\n', // out of range
      's1,2024-01-01T00:07:00,1,1\n', // no offset
      `${'x'.repeat(300)},2024-01-01T00:08:00Z,1,1\n`, // overlong field
      good(9),
    ];
    const bytes = Buffer.concat([
      Buffer.from(lines.join('')),
      Buffer.from([0xc3, 0x28, 0x2c, 0x0a]),
      Buffer.from('s1,' + 'y'.repeat(3 << 20) + '\n'),
      Buffer.from(good(10)),
    ]);
    const input = file('bad.csv', bytes);
    const summary = await runIngest(t.db, options(input, { rejectsPath: path.join(dir, 'bad.rejects.ndjson') }));
    assert.equal(summary.inserted, 3);
    assert.equal(summary.rejected, 13);
    assert.equal(summary.blankLines, 1);
    const rejects = readFileSync(summary.rejectsFile!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; field: string; reason: string; raw: string });
    assert.deepEqual(
      rejects.map((r) => r.line),
      [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17],
    );
    assert.deepEqual(
      rejects.map((r) => r.field),
      [
        '(line)',
        'sensor_id',
        '(line)',
        'value',
        'value',
        'value',
        'timestamp',
        'timestamp',
        'timestamp',
        'timestamp',
        'sensor_id',
        '(line)',
        '(line)',
      ],
    );
    assert.match(rejects[2]!.reason, /unbalanced quotes/);
    assert.match(rejects.at(-2)!.reason, /not valid UTF-8/);
    assert.match(rejects.at(-1)!.reason, /line longer than/);
    assert.ok(rejects.at(-1)!.raw.length <= 4096, 'a huge line is kept only as an excerpt');
    assert.equal(await count(), 3);
  });

  it('stops past --max-rejects with exit 3, keeps what it committed, and a corrected re-run completes the load without duplicates', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => good(i, 'mr'));
    const broken = [
      header,
      ...rows.slice(0, 20),
      'mr,bad,1,1\n',
      'mr,bad,2,1\n',
      'mr,bad,3,1\n',
      ...rows.slice(20),
    ].join('');
    const error = await runIngest(t.db, options(file('broken.csv', broken), { maxRejects: 2, batchRows: 8 })).catch(
      (e: unknown) => e,
    );
    assert.ok(isSmxError(error) && error.exitCode === 3, String(error));
    assert.equal(await count(`sensor_id = 'mr'`), 20, 'rows before the stopping line are committed');
    const fixed = await runIngest(t.db, options(file('fixed.csv', [header, ...rows].join(''))));
    assert.equal(fixed.inserted, 30);
    assert.equal(fixed.duplicates, 20);
    assert.equal(await count(`sensor_id = 'mr'`), 50);
  });

  it('the same idempotency key (or the same file) inserts nothing the second time and reports the first batch', async () => {
    const input = file('idem.csv', [header, ...Array.from({ length: 30 }, (_, i) => good(i, 'idem'))].join(''));
    const first = await runIngest(t.db, options(input, { idempotencyKey: 'k-1' }));
    const second = await runIngest(t.db, options(input, { idempotencyKey: 'k-1' }));
    assert.equal(first.status, 'committed');
    assert.equal(second.status, 'duplicate');
    assert.equal(second.batchId, first.batchId);
    assert.equal(second.inserted, 0);
    const byHash1 = await runIngest(t.db, options(input));
    const byHash2 = await runIngest(t.db, options(input));
    assert.equal(byHash1.inserted, 0, 'a new key loads, but every row already exists');
    assert.equal(byHash2.status, 'duplicate');
    assert.equal(byHash2.batchId, byHash1.batchId);
    assert.match(byHash2.idempotencyKey, /^sha256:[0-9a-f]{64}$/);
  });

  it('stdin without a key: the content hash is taken at the end and a repeat reports the first run', async () => {
    const content = [header, ...Array.from({ length: 10 }, (_, i) => good(i, 'stdin'))].join('');
    const first = await runIngest(t.db, options('-', { stdin: Readable.from([Buffer.from(content)]) }));
    const second = await runIngest(t.db, options('-', { stdin: Readable.from([Buffer.from(content)]) }));
    assert.equal(first.inserted, 10);
    assert.equal(second.status, 'duplicate');
    assert.equal(second.batchId, first.batchId);
    assert.equal(second.idempotencyKey, first.idempotencyKey);
  });

  it('with Redis configured but down, idempotency still holds through PostgreSQL and the summary says degraded', async () => {
    const input = file('redis-down.csv', [header, ...Array.from({ length: 10 }, (_, i) => good(i, 'rd'))].join(''));
    const down = { markerCache: () => openTestCache('redis://127.0.0.1:1', testPrefix()), idempotencyKey: 'rd-1' };
    const first = await runIngest(t.db, options(input, down));
    const second = await runIngest(t.db, options(input, down));
    assert.equal(first.redis, 'degraded');
    assert.equal(first.inserted, 10);
    assert.equal(second.status, 'duplicate');
    assert.equal(second.redis, 'degraded');
    assert.equal(await count(`sensor_id = 'rd'`), 10);
  });

  it('with Redis up, the done marker answers a repeat', async (test) => {
    if (!(await redisAvailable())) return test.skip('SKIPPED: no Redis');
    const prefix = testPrefix();
    try {
      const input = file('redis-up.csv', [header, good(1, 'ru')].join(''));
      const first = await runIngest(t.db, options(input, { markerCache: () => openTestCache(testRedisUrl, prefix) }));
      const second = await runIngest(t.db, options(input, { markerCache: () => openTestCache(testRedisUrl, prefix) }));
      assert.equal(first.redis, 'ok');
      assert.equal(second.status, 'duplicate');
    } finally {
      await deleteKeys(prefix);
    }
  });

  it('reads wide files, --map names and NDJSON', async () => {
    const wide = file(
      'wide.csv',
      'Machine,Time,temp,rpm\nm1,2024-02-01T00:00:00Z,20.5,1500\nm2,2024-02-01T00:00:00Z,21,\nm3,2024-02-01T00:00:00Z,x,1\n',
    );
    const w = await runIngest(t.db, options(wide, { wide: { timeColumn: 'time', entityColumn: 'machine' } }));
    assert.deepEqual([w.inserted, w.rejected, w.emptyCells], [4, 1, 1]);
    assert.equal(await count(`sensor_id in ('m1.temp', 'm1.rpm', 'm2.temp', 'm3.rpm')`), 4);
    const mapped = file('mapped.csv', 'Tag,When,Reading\nmp,2024-02-01T00:00:00Z,1\n');
    assert.equal(
      (await runIngest(t.db, options(mapped, { map: { sensor_id: 'Tag', timestamp: 'When', value: 'Reading' } })))
        .inserted,
      1,
    );
    const nd = file(
      'r.ndjson',
      '{"sensor_id":"nd","timestamp":1706745600,"value":1,"sensor_type":"pressure","unit":"bar"}\n{"sensor_id":"nd","timestamp":"2024-02-01T00:01:00Z","value":2}\n{oops\n',
    );
    const n = await runIngest(t.db, options(nd, { format: 'ndjson', timeUnit: 's' }));
    assert.deepEqual([n.inserted, n.rejected], [1, 2], 'with --time-unit s, ISO text is not an epoch number');
    const sensor = await t.db.query<{ sensor_type: string; unit: string }>(
      `select sensor_type, unit from sensors where sensor_id = 'nd'`,
    );
    assert.deepEqual(sensor.rows[0], { sensor_type: 'pressure', unit: 'bar' });
  });
});

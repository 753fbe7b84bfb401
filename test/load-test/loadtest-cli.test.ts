import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import type { LoadTestReport } from '../../src/load-test/run-load-test.js';
import { runCli } from '../helpers/cli.js';

describe('smx serve and smx loadtest as commands', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t?.drop());

  it('loadtest --target serve starts a server, loads it, checks every acknowledged reading, and reports JSON', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'loadtest',
        '--target',
        'serve',
        '--rate',
        '100',
        '--duration',
        '1s',
        '--scenario',
        'ingest',
        '--threshold',
        'errors==0',
        '--csv',
        path.join(dir, 'series.csv'),
        '--report',
        path.join(dir, 'report.html'),
        '--json',
      ],
      { env: { SMX_DATABASE_URL: t.url } },
    );
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { ok: boolean; report: LoadTestReport };
    const report = out.report;
    assert.equal(out.ok, true);
    assert.ok(report.requests > 50, JSON.stringify(report));
    assert.equal(report.ok, report.requests, JSON.stringify(report.statuses));
    assert.equal(report.ingest!.verification!.found, report.ok);
    assert.ok(report.intervals.length >= 1);
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from sensor_readings where sensor_id like $1',
      [report.ingest!.sensorPrefix + '%'],
    );
    assert.equal(rows[0]!.n, report.ok);
    assert.match(readFileSync(path.join(dir, 'series.csv'), 'utf8'), /^start_second,/);
    assert.match(readFileSync(path.join(dir, 'report.html'), 'utf8'), /^<!DOCTYPE html>/);
  });

  it('exits 1 with "ok": false when no request succeeded (all refused), thresholds or not', async () => {
    const result = await runCli([
      'loadtest',
      'http://127.0.0.1:1',
      '--connections',
      '2',
      '--duration',
      '300ms',
      '--scenario',
      'health',
      '--json',
    ]);
    assert.equal(result.code, 1, result.stderr);
    const out = JSON.parse(result.stdout) as { ok: boolean; report: LoadTestReport };
    assert.equal(out.ok, false);
    assert.equal(out.report.passed, false);
    assert.ok(out.report.socketErrors['ECONNREFUSED']! > 0);
    const text = await runCli([
      'loadtest',
      'http://127.0.0.1:1',
      '--connections',
      '2',
      '--duration',
      '300ms',
      '--scenario',
      'health',
    ]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /0 ok \(2xx\)/);
    assert.match(text.stdout, /^FAILED: no request succeeded/m);
    assert.doesNotMatch(text.stdout, /req\/s completed/);
  });

  it('a breached threshold exits 1; a bad one is a usage error naming it', async () => {
    const breached = await runCli(
      [
        'loadtest',
        '--target',
        'serve',
        '--connections',
        '2',
        '--duration',
        '300ms',
        '--scenario',
        'health',
        '--threshold',
        'rps>10000000',
      ],
      { env: { SMX_DATABASE_URL: t.url } },
    );
    assert.equal(breached.code, 1, breached.stderr);
    assert.match(breached.stdout, /rps>10000000 .*BREACHED/);
    const bad = await runCli(['loadtest', 'http://127.0.0.1:1', '--rate', '10', '--threshold', 'p99 < twenty']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--threshold "p99 < twenty"/);
    const both = await runCli(['loadtest', 'http://127.0.0.1:1', '--stages', '1s:10', '--duration', '5s']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--stages sets the duration/);
  });

  it('loadtest without --rate, --stages or --connections is a usage error', async () => {
    const result = await runCli(['loadtest', 'http://127.0.0.1:1']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--rate|--connections/);
  });
});

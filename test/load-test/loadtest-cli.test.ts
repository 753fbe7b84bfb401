import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli, smxBin } from '../helpers/cli.js';

describe('smx serve and smx loadtest as commands', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t?.drop());

  it('loadtest --target serve starts a server, loads it, and reports JSON', async () => {
    const result = await runCli(
      ['loadtest', '--target', 'serve', '--rate', '100', '--duration', '1s', '--scenario', 'ingest', '--json'],
      {
        env: { SMX_DATABASE_URL: t.url },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const { report } = JSON.parse(result.stdout) as {
      report: { requests: number; ok: number; outcomes: Record<string, number>; latency: { p99Ms: number } };
    };
    assert.ok(report.requests > 50, JSON.stringify(report));
    assert.equal(report.ok, report.requests, JSON.stringify(report.outcomes));
    const { rows } = await t.db.query<{ n: number }>(
      "select count(*)::int as n from sensor_readings where sensor_id like 'lt-%'",
    );
    assert.equal(rows[0]!.n, report.ok);
  });

  it('loadtest without --rate or --connections is a usage error', async () => {
    const result = await runCli(['loadtest', 'http://127.0.0.1:1']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--rate|--connections/);
  });

  it('serve stops cleanly on SIGTERM with exit code 0', async () => {
    const child = spawn(process.execPath, [smxBin, 'serve', '--port', '0'], {
      env: { ...process.env, SMX_DATABASE_URL: t.url, SMX_LOG_LEVEL: 'info', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const listening = new Promise<string>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/[^\s]+) /.exec(stderr);
        if (match) resolve(match[1]!);
      });
    });
    const url = await listening;
    const health = await fetch(url + '/health');
    assert.equal(health.status, 200);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /server stopped/);
  });
});

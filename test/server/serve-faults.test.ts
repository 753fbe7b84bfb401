import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli, smxBin } from '../helpers/cli.js';

/**
 * Issue 16, items 4 and 5, against `smx serve` as a process: a port in use, a
 * SIGTERM under keep-alive load, and a flood of bogus API keys.
 */
const apiKey = 'serve-process-test-key-0123456789';

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function serve(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [smxBin, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      CI: '',
      SMX_DATABASE_URL: databaseUrl,
      SMX_API_KEY: apiKey,
      SMX_LOG_LEVEL: 'info', // the "smx serve listening" log line carries the url
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(stderr);
      if (match) resolve({ child, url: match[1]!, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`smx serve exited ${code}: ${stderr}`)));
  });
}

/** One POST on `agent`; resolves with the status or the error code (never rejects). */
function post(agent: http.Agent, url: string, body: string, key = apiKey): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(
      url + '/api/v1/data/ingest',
      { method: 'POST', agent, headers: { 'x-api-key': key, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe('smx serve as a process, faults: port in use, SIGTERM under load, bogus keys', () => {
  let t: TestDatabase;
  const children: ChildProcess[] = [];
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await t?.drop();
  });

  it('a port in use is a clear error naming it (exit 2), not a bug', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const r = await runCli(['serve', '--port', String(port)], {
        env: { SMX_DATABASE_URL: t.url, SMX_API_KEY: apiKey },
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(r.stderr, /unexpected error|bug/);
    } finally {
      blocker.close();
    }
  });

  it('SIGTERM under keep-alive load: every request sent on an open connection gets an answer', async () => {
    const served = await serve(t.url);
    children.push(served.child);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });
    const outcomes = new Map<string, number>();
    const acknowledged: string[] = [];
    let sent = 0;
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const sensor = `sig-${w}`;
        const ts = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        sent += 1;
        const outcome = await post(agent, served.url, JSON.stringify({ sensor_id: sensor, value: i, timestamp: ts }));
        outcomes.set(String(outcome), (outcomes.get(String(outcome)) ?? 0) + 1);
        if (outcome === 202) acknowledged.push(`${sensor}|${ts}`);
        // Once the listener is gone, a new connection is refused: this worker is done.
        if (outcome === 'ECONNREFUSED') return;
      }
    };
    const workers = Array.from({ length: 48 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1500));
    served.child.kill('SIGTERM');
    const code = await served.exited;
    await Promise.all(workers);
    agent.destroy();
    assert.equal(code, 0, served.stderr());
    assert.ok(acknowledged.length > 100, `${acknowledged.length} acknowledged of ${sent}`);
    const outcomeList = [...outcomes].map(([k, v]) => `${k}×${v}`).join(' ');
    for (const outcome of outcomes.keys())
      assert.ok(['202', '503', 'ECONNREFUSED'].includes(outcome), `unexpected outcome ${outcome}: ${outcomeList}`);
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from sensor_readings where sensor_id like 'sig-%'`,
    );
    assert.equal(rows[0]!.n, acknowledged.length, 'every 202 is stored, nothing else');
  });

  it('bogus API keys: an overlong one is refused at once (401), and a flood of them does not grow memory', async () => {
    const served = await serve(t.url);
    children.push(served.child);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const overlong = await post(agent, served.url, '{}', 'x'.repeat(300));
    assert.equal(overlong, 401);
    const flood = async (count: number) => {
      let next = 0;
      const statuses = new Set<number | string>();
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < count) {
            next += 1;
            const key = randomBytes(6000 + (next % 1000)).toString('hex'); // 12–14 KB, all different
            statuses.add(await post(agent, served.url, '{}', key));
          }
        }),
      );
      return statuses;
    };
    await flood(500); // warm up: buffers and code paths settle
    const before = rssKb(served.child.pid!);
    const statuses = await flood(10_000);
    const grownMb = (rssKb(served.child.pid!) - before) / 1024;
    agent.destroy();
    served.child.kill('SIGTERM');
    await served.exited;
    assert.deepEqual([...statuses], [401]);
    // 10,000 cached 13 KB keys would be 130 MB and more; the process grew by a few MB at most.
    assert.ok(grownMb < 40, `RSS grew ${grownMb.toFixed(1)} MB over 10,000 bogus keys`);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runLoadTest } from '../../src/load-test/run-load-test.js';
import { formatLoadTestReport } from '../../src/load-test/format-report.js';
import { intervalsCsv } from '../../src/load-test/interval-series.js';
import { parseThreshold } from '../../src/load-test/thresholds.js';
import { tempDir } from '../helpers/database.js';

/** A local server: /chunked answers chunked, /close closes each connection, /slow holds 50 ms, else 202 JSON. */
describe('smx loadtest: runner against a local server', () => {
  let server: http.Server;
  let url = '';
  const seen: Array<{ path: string; key: string | undefined; body: string }> = [];
  let healthAnswers = 0; // every 10th /health answer is a 500
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (seen.length < 5000)
          seen.push({ path: req.url ?? '', key: req.headers['x-api-key'] as string | undefined, body });
        if (req.url === '/chunked') {
          res.writeHead(200);
          res.write('part one ');
          res.end('part two');
        } else if (req.url === '/unauthorized') {
          res.writeHead(401, { 'content-length': '0' });
          res.end();
        } else if (req.url === '/close') {
          res.writeHead(204, { connection: 'close' });
          res.end();
        } else if (req.url === '/health' && ++healthAnswers % 10 === 0) {
          res.writeHead(500, { 'content-length': '2' });
          res.end('no');
        } else {
          setTimeout(
            () => {
              res.writeHead(202, { 'content-type': 'application/json', 'content-length': '2' });
              res.end('{}');
            },
            req.url === '/slow' ? 50 : 0,
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('closed model: counts answers by status and reports percentiles in order', async () => {
    const report = await runLoadTest({ url, model: 'closed', connections: 4, durationMs: 400, scenario: 'health' });
    assert.equal(report.model, 'closed');
    assert.ok(report.requests > 20);
    const answered = Object.values(report.statuses).reduce((a, b) => a + b, 0);
    assert.equal(answered, report.requests);
    assert.equal(report.answered, report.requests);
    assert.deepEqual(report.socketErrors, {});
    assert.ok((report.statuses['500'] ?? 0) > 0 && (report.statuses['202'] ?? 0) > 0);
    assert.equal(report.errors, report.requests - report.ok);
    assert.equal(report.errors, report.statuses['500']);
    // Bytes on the wire: every answer here is at least a status line and two headers.
    assert.ok(report.bytes.received > report.requests * 40, JSON.stringify(report.bytes));
    assert.ok(report.bytes.sent > report.requests * 30, JSON.stringify(report.bytes));
    assert.ok(report.passed, report.failures.join('; '));
    const l = report.latency;
    assert.ok(
      l.p50Ms <= l.p90Ms && l.p90Ms <= l.p95Ms && l.p95Ms <= l.p99Ms && l.p99Ms <= l.p999Ms && l.p999Ms <= l.maxMs,
    );
    assert.match(formatLoadTestReport(report), /p99\.9/);
  });

  it('open model: sends at the target rate, not faster, whatever the server does', async () => {
    const report = await runLoadTest({
      url,
      model: 'open',
      rate: 200,
      connections: 8,
      durationMs: 500,
      scenario: 'ingest',
      apiKey: 'k-123',
    });
    assert.ok(report.requests <= 101, String(report.requests));
    assert.ok(report.requests >= 50, String(report.requests));
    assert.equal(report.targetRate, 200);
    const ingest = seen.filter((s) => s.path === '/api/v1/data/ingest');
    assert.ok(ingest.length > 0 && ingest.every((s) => s.key === 'k-123'));
    const readings = ingest.map((s) => JSON.parse(s.body) as { sensor_id: string; timestamp: number });
    assert.equal(
      new Set(readings.map((r) => `${r.sensor_id}/${r.timestamp}`)).size,
      readings.length,
      'every generated reading is new',
    );
  });

  it('open model: latency counts from when a request was due (coordinated omission)', async () => {
    const file = path.join(tempDir(), 'slow.json');
    writeFileSync(file, JSON.stringify({ method: 'GET', path: '/slow' }));
    // One connection, 50 ms per answer, 100 due per second: requests queue, and their wait is counted.
    const report = await runLoadTest({
      url,
      model: 'open',
      rate: 100,
      connections: 1,
      durationMs: 500,
      scenario: file,
      graceMs: 3000,
    });
    assert.ok(report.delayedSends > 0);
    assert.ok(report.latency.maxMs > 100, `max ${report.latency.maxMs} ms would be ~50 ms without the correction`);
  });

  it('threads share the connections and the rate, and their histograms and outcomes add up', async () => {
    const closed = await runLoadTest({
      url,
      model: 'closed',
      connections: 5,
      durationMs: 400,
      scenario: 'health',
      threads: 2,
    });
    assert.equal(closed.threads, 2);
    const answered = Object.values(closed.statuses).reduce((a, b) => a + b, 0);
    assert.equal(answered, closed.requests);
    assert.equal(closed.latency.count, closed.requests);
    assert.ok((closed.statuses['500'] ?? 0) > 0 && (closed.statuses['202'] ?? 0) > 0);
    // The interval series of both threads adds up to the totals.
    assert.equal(
      closed.intervals.reduce((sum, p) => sum + p.requests, 0),
      closed.requests,
    );
    const open = await runLoadTest({
      url,
      model: 'open',
      rate: 300,
      connections: 8,
      durationMs: 500,
      scenario: 'ingest',
      threads: 3,
    });
    assert.equal(open.threads, 3);
    assert.ok(open.requests >= 100 && open.requests <= 153, String(open.requests));
    const ingest = seen
      .filter((s) => s.path === '/api/v1/data/ingest')
      .map((s) => JSON.parse(s.body) as { sensor_id: string; timestamp: number });
    assert.equal(
      new Set(ingest.map((r) => `${r.sensor_id}/${r.timestamp}`)).size,
      ingest.length,
      'threads never send the same reading',
    );
  });

  it('open model: a send is counted late only when it waited for a free connection, not for the timer', async () => {
    const report = await runLoadTest({
      url,
      model: 'open',
      // More connections than sends: none can wait for a free connection, so any
      // "late" count would be timer jitter (a loaded machine delays timers a lot).
      rate: 100,
      connections: 64,
      durationMs: 400,
      scenario: 'health',
    });
    assert.ok(report.requests > 0);
    assert.equal(report.delayedSends, 0);
  });

  it('parses chunked answers and reconnects after Connection: close', async () => {
    const dir = tempDir();
    for (const name of ['chunked', 'close']) {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ method: 'POST', path: `/${name}`, bodies: [{ a: 1 }, 'raw text'] }));
      const report = await runLoadTest({ url, model: 'closed', connections: 2, durationMs: 200, scenario: file });
      assert.ok(report.ok > 5, `${name}: ${JSON.stringify(report.statuses)}`);
      assert.equal(report.errors, 0, `${name}: ${JSON.stringify(report.socketErrors)}`);
    }
  });

  it('a refused connection is an error by kind, not a crash, and a run where nothing succeeded fails', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const report = await runLoadTest({
      url: `http://127.0.0.1:${port}`,
      model: 'closed',
      connections: 1,
      durationMs: 100,
      scenario: 'health',
    });
    assert.equal(report.ok, 0);
    assert.ok(report.errors > 0);
    assert.equal(report.socketErrors['ECONNREFUSED'], report.requests, JSON.stringify(report.socketErrors));
    assert.deepEqual(report.statuses, {});
    assert.equal(report.answered, 0);
    assert.equal(report.bytes.sent, 0, 'nothing was written to a socket that never connected');
    // Before: "… req/s completed", ok: true, exit 0. A run where no request succeeded always fails.
    assert.equal(report.passed, false);
    assert.match(report.failures[0]!, /no request succeeded.*ECONNREFUSED/);
  });

  it('every request answered 401 is a failed run, not "req/s completed"', async () => {
    const file = path.join(tempDir(), 'unauthorized.json');
    writeFileSync(file, JSON.stringify({ method: 'GET', path: '/unauthorized' }));
    const report = await runLoadTest({ url, model: 'closed', connections: 2, durationMs: 200, scenario: file });
    assert.ok(report.requests > 5);
    assert.deepEqual(Object.keys(report.statuses), ['401']);
    assert.equal(report.rps, 0);
    assert.equal(report.passed, false);
    assert.match(report.failures.join('\n'), /no request succeeded.*HTTP 401/);
    assert.match(formatLoadTestReport(report), /^FAILED: no request succeeded/m);
  });

  it('thresholds pass or fail the run, in k6 expression style', async () => {
    const report = await runLoadTest({
      url,
      model: 'closed',
      connections: 2,
      durationMs: 300,
      scenario: 'health',
      thresholds: ['p99<10s', 'rps>1000000', 'errors<1%', 'errors>0'].map(parseThreshold),
    });
    assert.deepEqual(
      report.thresholds.map((t) => [t.expression, t.passed]),
      [
        ['p99<10s', true],
        ['rps>1000000', false],
        ['errors<1%', false], // every 10th /health answer is a 500
        ['errors>0', true],
      ],
    );
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.failures.map((f) => f.split(' breached')[0]),
      ['threshold rps>1000000', 'threshold errors<1%'],
    );
  });

  it('ramp stages: the arrivals follow the ramp, and the series carries the target rate', async () => {
    const report = await runLoadTest({
      url,
      model: 'open',
      stages: [
        { durationMs: 400, target: 400 },
        { durationMs: 400, target: 0 },
      ],
      connections: 8,
      durationMs: 0,
      scenario: 'health',
      intervalMs: 200,
    });
    // The integral of the rate: 0.4 s × 200/s average, twice.
    assert.ok(report.requests >= 150 && report.requests <= 160, String(report.requests));
    assert.equal(report.targetRate, null);
    // Four 200 ms intervals (a fifth when the last answers arrive late on a busy machine).
    assert.ok(report.intervals.length >= 4 && report.intervals.length <= 5, JSON.stringify(report.intervals));
    // The target line is the ramp's rate at each interval's middle: up to 400 req/s and down again.
    const ramp = (s: number) => (s < 0.4 ? 1000 * s : Math.max(0, 400 - 1000 * (s - 0.4)));
    for (const p of report.intervals)
      assert.ok(Math.abs(p.targetRate! - ramp(p.startSecond + p.seconds / 2)) < 2, JSON.stringify(p));
    // Fewer arrivals at the ends of the ramp than at its peak.
    const [first, second] = report.intervals;
    assert.ok(first!.requests < second!.requests, JSON.stringify(report.intervals));
    assert.equal(
      report.intervals.reduce((sum, p) => sum + p.requests, 0),
      report.requests,
    );
    const csv = intervalsCsv(report.intervals).trim().split('\n');
    assert.equal(csv.length, report.intervals.length + 1);
    assert.match(csv[0]!, /^start_second,seconds,requests,ok,errors,socket_errors,ok_per_second/);
  });
});

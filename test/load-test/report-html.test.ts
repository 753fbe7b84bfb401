import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runLoadTest, type LoadTestReport } from '../../src/load-test/run-load-test.js';
import { renderLoadTestHtml } from '../../src/load-test/report-html.js';
import { parseThreshold } from '../../src/load-test/thresholds.js';
import { chromiumSkip, screenshot } from '../helpers/chromium.js';
import { tempDir } from '../helpers/database.js';

const VOID = new Set(['meta', 'br', 'line', 'polyline', 'circle', 'rect', 'path']);

/** Every non-void element closes in order; self-closing SVG elements count as closed. */
function assertBalanced(document: string): void {
  const stack: string[] = [];
  for (const match of document.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName, selfClosing] = match;
    const name = rawName!.toLowerCase();
    if (selfClosing === '/' || (VOID.has(name) && closing === '')) continue;
    if (closing === '') stack.push(name);
    else assert.equal(stack.pop(), name, `unexpected </${name}>`);
  }
  assert.deepEqual(stack, []);
}

describe('loadtest HTML report', () => {
  let server: http.Server;
  let report: LoadTestReport;
  let html = '';
  before(async () => {
    // Answers 202 after 0–4 ms, and 503 to every 25th request.
    let n = 0;
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = ++n % 25 === 0 ? 503 : 202;
        setTimeout(() => res.writeHead(status, { 'content-length': '2' }).end('{}'), n % 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const file = path.join(tempDir(), 'scenario <b>&.json');
    writeFileSync(file, JSON.stringify({ method: 'POST', path: '/x', body: { a: 1 } }));
    report = await runLoadTest({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      model: 'open',
      stages: [
        { durationMs: 600, target: 300 },
        { durationMs: 600, target: 50 },
      ],
      connections: 16,
      durationMs: 0,
      scenario: file,
      intervalMs: 200,
      thresholds: ['p99<1s', 'errors<1%'].map(parseThreshold),
    });
    html = renderLoadTestHtml(report, { generatedAt: '2026-01-01T00:00:00Z' });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is one well-formed, self-contained page', () => {
    assert.match(html, /^<!DOCTYPE html>/);
    assertBalanced(html.replace(/^<!DOCTYPE html>/, ''));
    assert.doesNotMatch(html, /<script|<link|<img|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg|127\.0\.0\.1)/);
  });

  it('has throughput and latency over time and the percentile curve, with their data', () => {
    assert.equal(html.match(/<svg /g)?.length, 3);
    assert.match(html, /Throughput over time/);
    assert.match(html, /Latency percentiles over time/);
    assert.match(html, /HDR percentile curve/);
    // One point per interval on each over-time line; the curve reaches 99%.
    const lines = [...html.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' ').length);
    assert.ok(
      lines.some((n) => n === report.intervals.length),
      `${lines} vs ${report.intervals.length} intervals`,
    );
    assert.match(html, />99%</);
    assert.match(html, />target</);
  });

  it('shows the verdict, the breached threshold and the outcomes, escaped', () => {
    assert.equal(report.passed, false, 'every 25th answer is a 503: errors<1% is breached');
    assert.match(html, /class="badge fail">failed/);
    assert.match(html, /errors&lt;1%/);
    assert.match(html, /HTTP 503/);
    assert.match(html, /scenario &lt;b&gt;&amp;\.json/);
    assert.doesNotMatch(html, /scenario <b>/);
  });

  it('renders in headless Chromium to a non-trivial screenshot', { skip: chromiumSkip() }, async () => {
    const png = await screenshot(html, 1200, 1800);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 1200);
    assert.equal(png.readUInt32BE(20), 1800);
    // A blank page compresses to a few KB; charts and text make it far larger.
    assert.ok(png.length > 40_000, `screenshot only ${png.length} bytes`);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { Random } from '../../../src/random.js';
import { renderDriftHtml } from '../../../src/drift/report/report-html.js';
import type { DriftDataset } from '../../../src/drift/types.js';

const random = new Random(5);
const normal = (n: number, mean: number): Float64Array =>
  Float64Array.from({ length: n }, () => mean + random.nextNormal());
const cats = (n: number, p: number): string[] =>
  Array.from({ length: n }, () => (random.nextFloat() < p ? 'a&b' : 'other'));
const ref: DriftDataset = {
  columns: {
    torque: { kind: 'numeric', values: normal(1500, 0) },
    '<script>': { kind: 'numeric', values: normal(300, 0) },
    'type "x"': { kind: 'categorical', values: cats(300, 0.5) },
  },
};
const cur: DriftDataset = {
  columns: {
    torque: { kind: 'numeric', values: normal(1500, 0.5) },
    '<script>': { kind: 'numeric', values: normal(300, 0) },
    'type "x"': { kind: 'categorical', values: cats(300, 0.7) },
  },
  sampled: true,
  totalRows: 90_000,
};
const html = renderDriftHtml(compareDatasets(ref, cur), { title: 'Drift <test>', generatedAt: '2026-01-01T00:00:00Z' });

const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr', 'rect', 'line', 'path', 'circle']);

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

describe('HTML drift report', () => {
  it('is one well-formed self-contained page', () => {
    assert.match(html, /^<!DOCTYPE html>/);
    assertBalanced(html.replace(/^<!DOCTYPE html>/, ''));
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
  it('has one SVG per column with axes and a legend', () => {
    assert.equal(html.match(/<svg /g)?.length, 3);
    assert.equal(html.match(/class="legend">reference</g)?.length, 3);
    assert.match(html, /class="axis"/);
  });
  it('escapes column names and titles', () => {
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /type &quot;x&quot;/);
    assert.match(html, /a&amp;b/);
    assert.match(html, /<title>Drift &lt;test&gt;<\/title>/);
  });
  it('says in the summary which way each threshold goes', () => {
    assert.match(html, /<td>wasserstein<\/td><td>[^<]+<\/td><td>[^<]+<\/td><td>&ge; 0\.1<\/td>/);
    assert.match(html, /<td>ks<\/td><td>[^<]+<\/td><td>[^<]+<\/td><td>&lt; 0\.05<\/td>/);
  });
  it('states verdict, sample sizes and sampling', () => {
    assert.match(html, /dataset drift|no dataset drift/);
    assert.match(html, /sampled from 90,000/);
    assert.match(html, /1,500<\/b> rows \(not sampled\)/);
  });
});

const chromium = '/usr/bin/chromium';
function renderSkip(): string | false {
  if (existsSync(chromium)) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${chromium} is missing: the HTML render test needs it`);
  return `SKIPPED: ${chromium} not found (install chromium to check the HTML report renders)`;
}

describe('HTML drift report renders in headless Chromium', { skip: renderSkip() }, () => {
  it('writes a non-trivial 1200x1600 screenshot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smx-drift-render-'));
    try {
      const page = path.join(dir, 'report.html');
      const shot = path.join(dir, 'shot.png');
      writeFileSync(page, html);
      await promisify(execFile)(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${path.join(dir, 'profile')}`,
          `--screenshot=${shot}`,
          '--window-size=1200,1600',
          `file://${page}`,
        ],
        { timeout: 90_000 },
      );
      const png = readFileSync(shot);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), 1200);
      assert.equal(png.readUInt32BE(20), 1600);
      // A blank page compresses to a few KB; charts and text make it far larger.
      assert.ok(png.length > 30_000, `screenshot only ${png.length} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

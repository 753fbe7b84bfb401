import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { Random } from '../../../src/random.js';
import { renderDriftHtml, sortedColumns, type ColumnSeries } from '../../../src/drift/report/report-html.js';
import type { DriftDataset } from '../../../src/drift/types.js';
import { assertWellFormed } from '../../helpers/html-page.js';

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

describe('HTML drift report', () => {
  it('is one well-formed self-contained page', () => {
    assert.match(html, /^<!DOCTYPE html>/);
    assertWellFormed(html);
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
  it('has one SVG per column with axes and a legend, and the summary chart of every column', () => {
    assert.equal(html.match(/<svg /g)?.length, 4);
    assert.equal(html.match(/class="legend">reference</g)?.length, 3);
    assert.match(html, /class="axis"/);
    assert.match(html, /<title>Every column against its threshold<\/title>/);
  });
  it('lists the columns drifted first, then by how far past the threshold', () => {
    const order = [...html.matchAll(/<h2>([^<]+) <small>/g)].map((m) => m[1]);
    const expected = sortedColumns(compareDatasets(ref, cur)).map((c) =>
      c.column.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    );
    assert.deepEqual(order, expected);
    const report = compareDatasets(ref, cur);
    const drifted = sortedColumns(report).findIndex((c) => !c.drifted);
    assert.ok(
      sortedColumns(report)
        .slice(0, drifted)
        .every((c) => c.drifted),
    );
    assert.ok(
      sortedColumns(report)
        .slice(drifted)
        .every((c) => !c.drifted),
    );
  });
  it('states the share of values folded into the end bins of a clipped histogram', () => {
    const wide: DriftDataset = {
      columns: { x: { kind: 'numeric', values: Float64Array.from([...normal(400, 0), 1e6]) } },
    };
    const page = renderDriftHtml(
      compareDatasets(wide, { columns: { x: { kind: 'numeric', values: normal(400, 0) } } }),
    );
    // The pooled 0.5–99.5 % range leaves about 1 % of the values outside by construction; the chart says which share.
    assert.match(page, /end bins hold the [\d.]+ % \(ref\) \/ [\d.]+ % \(cur\) beyond the 0\.5–99\.5 % range/);
  });
  it('draws both windows over time when given, and folds 50+ columns into <details>, open when drifted', () => {
    const many = (shift: number): DriftDataset => ({
      columns: Object.fromEntries(
        Array.from({ length: 55 }, (_, i) => [
          `s${i}`,
          { kind: 'numeric' as const, values: normal(200, i < 3 ? shift : 0) },
        ]),
      ),
    });
    const series = new Map<string, ColumnSeries>([
      ['s0', { reference: { x: [0, 1], y: [1, 2] }, current: { x: [2, 3], y: [5, 6] }, axis: 'row' }],
    ]);
    const report = compareDatasets(many(0), many(3));
    const page = renderDriftHtml(report, { series });
    assert.equal(page.match(/<details/g)?.length, 55);
    assert.equal(page.match(/<details open>/g)?.length, report.driftedColumns);
    assert.ok(report.driftedColumns >= 3);
    assert.match(page, /<title>Values of s0 over rows<\/title>/);
    assert.doesNotMatch(html, /<details/);
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

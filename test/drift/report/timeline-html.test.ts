/**
 * The timeline report: one self-contained page with the share-drifted chart,
 * then per column its effect per chunk against the floor and its values over
 * time against the reference band, the most drifted column first; 50+
 * columns fold into <details>; and it renders in headless Chromium.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTimelineHtml } from '../../../src/drift/report/timeline-html.js';
import type { TimelineChunk, TimelineColumn, TimelineResult } from '../../../src/drift/timeline/timeline-types.js';
import {
  assertPicture,
  assertSelfContained,
  assertWellFormed,
  screenshot,
  skipWithoutChromium,
} from '../../helpers/html-page.js';

const HOUR = 3_600_000;
const start = Date.UTC(2024, 0, 8);

function column(name: string, k: number, drifting: boolean): TimelineColumn {
  const level = drifting && k >= 30 ? 4 : 0;
  const effect = Math.abs(Math.sin(k + name.length)) * 0.8 + level;
  return {
    column: name,
    status: 'tested',
    test: 'ks',
    statistic: 0.2,
    score: level ? 1e-9 : 0.3,
    scoreKind: 'p-value',
    threshold: 0.05,
    drifted: level > 0,
    effect,
    effectFloor: 1.8,
    spread: 0.1,
    mean: 20 + 3 * Math.cos((2 * Math.PI * k) / 24) + level,
    referenceMean: 20 + 3 * Math.cos((2 * Math.PI * k) / 24),
    referenceLow: 18 + 3 * Math.cos((2 * Math.PI * k) / 24),
    referenceHigh: 22 + 3 * Math.cos((2 * Math.PI * k) / 24),
    currentCount: 60,
    referenceCount: 120,
  };
}

function timeline(columns: number): TimelineResult {
  const names = Array.from({ length: columns }, (_, i) => `sensor-${i} <${i}>`);
  const chunks: TimelineChunk[] = Array.from({ length: 48 }, (_, k) => {
    const cols = names.map((n, i) => column(n, k, i < 2));
    const drifted = cols.filter((c) => c.drifted).length;
    return {
      from: new Date(start + k * HOUR),
      to: new Date(start + (k + 1) * HOUR),
      reference: 'seasonal:2w',
      status: 'tested',
      datasetDrift: drifted / cols.length >= 0.5,
      shareDrifted: drifted / cols.length,
      driftedColumns: drifted,
      testedColumns: cols.length,
      columns: cols,
      qualityAlarms: [],
    };
  });
  return {
    runId: 'r',
    subject: 'sensors:demo',
    sensorIds: names,
    from: new Date(start),
    to: new Date(start + 48 * HOUR),
    chunkMs: HOUR,
    referenceText: 'seasonal:2w',
    driftShare: 0.5,
    chunks,
    rowsRead: 1,
    stored: false,
    timings: { loadMs: 0, evaluateMs: 0, storeMs: 0 },
  };
}

describe('HTML timeline report', () => {
  const html = renderTimelineHtml(timeline(3), { generatedAt: '2026-01-01T00:00:00Z' });
  it('is one well-formed self-contained page, names escaped', () => {
    assertWellFormed(html);
    assertSelfContained(html);
    assert.match(html, /sensor-0 &lt;0&gt;/);
  });
  it('charts the share drifted, then per column the effect against its floor and the values against the reference band', () => {
    assert.match(html, /<title>Share of drifted columns per chunk<\/title>/);
    assert.equal(html.match(/: effect size per chunk<\/title>/g)?.length, 3);
    assert.equal(html.match(/: values over time<\/title>/g)?.length, 3);
    assert.match(html, /<polygon [^>]*fill-opacity/);
    assert.match(html, /floor 1\.8/);
  });
  it('puts the drifted columns first and folds 50+ columns, open when drifted', () => {
    const order = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(order.slice(0, 2).sort(), ['sensor-0 &lt;0&gt;', 'sensor-1 &lt;1&gt;']);
    const big = renderTimelineHtml(timeline(52));
    assert.equal(big.match(/<details/g)?.length, 52);
    assert.equal(big.match(/<details open>/g)?.length, 2);
    assert.doesNotMatch(html, /<details/);
  });
  it('renders in headless Chromium', { skip: skipWithoutChromium() }, async () => {
    assertPicture(await screenshot(html, 1200, 1600), 1200, 1600);
  });
});

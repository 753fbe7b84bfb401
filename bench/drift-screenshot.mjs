// Regenerates docs/img/drift-report.png: a seeded demo DriftReport rendered as HTML
// and screenshotted by headless Chromium. Run after `npx tsc -p .`:
//   node bench/drift-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'src', 'drift');
const { compareDatasets } = await import(path.join(dist, 'compare.js'));
const { renderDriftHtml } = await import(path.join(dist, 'report-html.js'));
const { Random } = await import(path.join(dist, '..', 'random.js'));
const createRandom = (seed) => new Random(seed);

const r = createRandom(7);
const num = (n, mu, sd) => Float64Array.from({ length: n }, () => mu + sd * r.nextNormal());
const cat = (n, pL, pM) =>
  Array.from({ length: n }, () => {
    const u = r.nextFloat();
    return u < pL ? 'L' : u < pL + pM ? 'M' : 'H';
  });
const reference = {
  columns: {
    type: { kind: 'categorical', values: cat(3000, 0.5, 0.3) },
    'torque [Nm]': { kind: 'numeric', values: num(5000, 40, 10) },
    'rotational speed [rpm]': { kind: 'numeric', values: num(800, 1500, 100) },
    'tool wear [min]': { kind: 'numeric', values: num(5000, 108, 63) },
  },
};
const current = {
  columns: {
    type: { kind: 'categorical', values: cat(3000, 0.6, 0.3) },
    'torque [Nm]': { kind: 'numeric', values: num(5000, 44, 10) },
    'rotational speed [rpm]': { kind: 'numeric', values: num(800, 1500, 100) },
    'tool wear [min]': { kind: 'numeric', values: num(5000, 110, 63) },
  },
  sampled: true,
  totalRows: 250_000,
};
const html = renderDriftHtml(compareDatasets(reference, current), {
  title: 'Drift report — demo',
  generatedAt: '2026-11-25T10:00:00Z',
});
const dir = mkdtempSync(path.join(tmpdir(), 'smx-drift-shot-'));
try {
  writeFileSync(path.join(dir, 'report.html'), html);
  execFileSync(
    '/usr/bin/chromium',
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
      `--screenshot=${path.join(dir, 'shot.png')}`,
      '--window-size=1200,1600',
      `file://${path.join(dir, 'report.html')}`,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  copyFileSync(path.join(dir, 'shot.png'), path.join(root, 'docs', 'img', 'drift-report.png'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

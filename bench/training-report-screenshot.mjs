// Regenerates docs/img/training-report.png: a shipped pipeline trained over seeds
// into a scratch registry, its training report rendered and screenshotted by
// headless Chromium. Run after `npx tsc -p .`:
//   node bench/training-report-screenshot.mjs [pipelines/ai4i-failure-rf.yaml] [seeds]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = process.argv[2] ?? 'pipelines/ai4i-failure-rf.yaml';
const seeds = process.argv[3] ?? '10';
const dir = mkdtempSync(path.join(tmpdir(), 'smx-report-shot-'));
try {
  const env = { ...process.env, SMX_MODELS_DIR: path.join(dir, 'models'), SMX_STATE_DIR: path.join(dir, 'state') };
  const page = path.join(dir, 'report.html');
  execFileSync(
    path.join(root, 'bin', 'smx'),
    ['train', pipeline, '--seeds', seeds, '--report', page, '--log-level', 'warn'],
    { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
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
      '--window-size=1200,2300',
      `file://${page}`,
    ],
    { stdio: 'ignore', timeout: 90_000 },
  );
  copyFileSync(path.join(dir, 'shot.png'), path.join(root, 'docs', 'img', 'training-report.png'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

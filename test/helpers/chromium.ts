import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const chromium = '/usr/bin/chromium';

/** node:test's `skip` for a suite that needs headless Chromium: never skipped with CI=true. */
export function chromiumSkip(): string | false {
  if (existsSync(chromium)) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${chromium} is missing: the HTML render test needs it`);
  return `SKIPPED: ${chromium} not found (install chromium to check the HTML report renders)`;
}

/** Renders a page in headless Chromium (no network, a fresh profile) and returns the PNG screenshot. */
export async function screenshot(html: string, width: number, height: number): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'smx-render-'));
  try {
    const page = path.join(dir, 'page.html');
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
        `--window-size=${width},${height}`,
        `file://${page}`,
      ],
      { timeout: 90_000 },
    );
    return readFileSync(shot);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

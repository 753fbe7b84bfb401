import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Checks for the self-contained HTML reports: well-formed, nothing fetched
 * from anywhere, and rendered by headless Chromium into a real picture.
 */
const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr']);

/** Every element but the HTML void ones closes in order (SVG shapes either self-close or hold a <title>). */
export function assertWellFormed(document: string): void {
  const stack: string[] = [];
  const body = document.replace(/^<!DOCTYPE html>/, '').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName, selfClosing] = match;
    const name = rawName!.toLowerCase();
    if (selfClosing === '/' || (VOID.has(name) && closing === '')) continue;
    if (closing === '') stack.push(name);
    else assert.equal(stack.pop(), name, `unexpected </${name}>`);
  }
  assert.deepEqual(stack, []);
}

/** No script, no stylesheet or image link, no URL but the SVG namespace. */
export function assertSelfContained(document: string): void {
  assert.doesNotMatch(document, /<script|<link|<img|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
}

export const chromium = '/usr/bin/chromium';

/** For node:test's `skip`: a reason when Chromium is missing outside CI. */
export function skipWithoutChromium(): string | false {
  if (existsSync(chromium)) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${chromium} is missing: the HTML render tests need it`);
  return `SKIPPED: ${chromium} not found (install chromium to check the HTML reports render)`;
}

/** Renders the page in headless Chromium and returns the PNG screenshot. */
export async function screenshot(html: string, width = 1200, height = 1600): Promise<Buffer> {
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

/** A PNG of the asked size that is not a blank page (a blank page compresses to a few KB). */
export function assertPicture(png: Buffer, width: number, height: number, minBytes = 30_000): void {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), width);
  assert.equal(png.readUInt32BE(20), height);
  assert.ok(png.length > minBytes, `screenshot only ${png.length} bytes`);
}

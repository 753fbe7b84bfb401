import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/**
 * ../shared beside the checkout holds the real datasets and the SciPy/scikit-learn
 * reference figures. CI always has it; a developer's laptop may not. Tests that
 * need it call `sharedPath()` and skip with a plain message when it is absent —
 * except in CI, where a missing shared/ is a failure.
 */
export const sharedDir: string = process.env.SMX_SHARED_DIR ?? path.resolve(packageRoot, '..', 'shared');

export function sharedAvailable(): boolean {
  return existsSync(path.join(sharedDir, 'data'));
}

export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir, ...parts);
}

/** For node:test's `skip` option: a reason string when shared/ is missing outside CI, else false. */
export function skipWithoutShared(): string | false {
  if (sharedAvailable()) return false;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${sharedDir} is missing: the real datasets are required in CI`);
  return `SKIPPED: ${sharedDir} not found (real datasets and reference figures live there)`;
}

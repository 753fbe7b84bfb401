import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The installed smx package's root folder (where package.json, migrations/ and
 * pipelines/ live). Compiled code runs from dist/src/, so the root is two levels up.
 */
export const packageRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const migrationsDir: string = path.join(packageRoot, 'migrations');

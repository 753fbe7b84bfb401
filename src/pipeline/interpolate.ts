import { usageError } from '../errors.js';

/**
 * Shell-style `${VAR}` and `${VAR:-default}` in source paths, so a pipeline can
 * say `${SMX_SHARED_DIR:-../shared}/data/ai4i2020/ai4i2020.csv` and run both in
 * a checkout beside ../shared and in CI where SMX_SHARED_DIR points elsewhere.
 * As in the shell, `:-` also applies when the variable is set but empty.
 * Anything else containing `$` is left alone except an unterminated `${`.
 */
const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolate(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const out = text.replace(pattern, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw usageError(`${JSON.stringify(text)} uses \${${name}}, which is not set and has no default.`, {
      hint: `Set ${name}, or write \${${name}:-default} in the pipeline.`,
    });
  });
  if (out.includes('${')) throw usageError(`${JSON.stringify(text)} has an unterminated or malformed \${…}.`);
  return out;
}

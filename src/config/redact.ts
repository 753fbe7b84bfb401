import { secretKeys, type SmxConfig } from './schema.js';

/** postgres://user:secret@host/db → postgres://user:***@host/db (URLs keep their shape for debugging). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** A copy of the config safe to print: secrets replaced, passwords in URLs masked. */
export function redactConfig(config: SmxConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (secretKeys.has(key)) out[key] = '***';
    else if (typeof value === 'string' && /^(postgres(ql)?|rediss?):\/\//.test(value)) out[key] = redactUrl(value);
    else out[key] = value;
  }
  return out;
}

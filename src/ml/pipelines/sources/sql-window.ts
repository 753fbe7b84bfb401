import { usageError } from '../../../errors.js';

/**
 * The data window of a SQL source. A query may say
 *
 *   where bucket >= ${SMX_WINDOW_FROM} and bucket < ${SMX_WINDOW_TO}
 *
 * and the two names become bind parameters ($n::timestamptz), never text
 * pasted into SQL. Their values come from the run's environment; unset means
 * '-infinity' and 'infinity', so an ordinary `smx train` reads all data and
 * `smx retrain` passes its training or held-out window. Any other `${…}` in a
 * query is an error rather than something sent to PostgreSQL.
 */
export const windowNames = ['SMX_WINDOW_FROM', 'SMX_WINDOW_TO'] as const;

export interface BoundQuery {
  text: string;
  values: string[];
  /** The window as bound, when the query uses it (for the data hash's name). */
  window: { from: string; to: string } | null;
}

const placeholder = /\$\{([^}]*)\}/g;

/** True when the query filters on both window parameters (what retrain needs). */
export function usesWindow(query: string): boolean {
  return windowNames.every((name) => query.includes(`\${${name}}`));
}

function windowValue(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'infinity' || raw === '-infinity') return raw;
  // Only ISO-like dates and times: the value is bound, but a typo must not become "all data".
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw usageError(`${name}=${JSON.stringify(raw)} is not an ISO-8601 timestamp (e.g. 2024-01-11T00:00:00Z).`);
  }
  return raw;
}

export function bindWindow(query: string, env: NodeJS.ProcessEnv): BoundQuery {
  const values: string[] = [];
  const index = new Map<string, number>();
  let used = false;
  const text = query.replace(placeholder, (_, name: string) => {
    if (name === 'SMX_WINDOW_FROM' || name === 'SMX_WINDOW_TO') {
      used = true;
      if (!index.has(name)) {
        values.push(windowValue(env, name, name === 'SMX_WINDOW_FROM' ? '-infinity' : 'infinity'));
        index.set(name, values.length);
      }
      return `$${index.get(name)}::timestamptz`;
    }
    throw usageError(
      `The SQL source uses \${${name}}; a query may only use \${SMX_WINDOW_FROM} and \${SMX_WINDOW_TO} (bound as parameters).`,
    );
  });
  const from = index.has('SMX_WINDOW_FROM') ? values[index.get('SMX_WINDOW_FROM')! - 1]! : '-infinity';
  const to = index.has('SMX_WINDOW_TO') ? values[index.get('SMX_WINDOW_TO')! - 1]! : 'infinity';
  return { text, values, window: used ? { from, to } : null };
}

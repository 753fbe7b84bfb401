/**
 * `json.dumps(value, sort_keys=True)` exactly as CPython writes it: separators
 * ", " and ": ", keys sorted by code point, and ensure_ascii (everything outside
 * printable ASCII as \uXXXX in lower-case hex, astral characters as surrogate
 * pairs). DVC hashes these bytes to name a directory, so one differing byte
 * would give a different `.dir` hash from `dvc add`.
 */
export type PythonJson = string | number | boolean | null | PythonJson[] | { [key: string]: PythonJson };

export function pythonJsonDumps(value: PythonJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`pythonJsonDumps supports integers only, got ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((key) => `${quote(key)}: ${pythonJsonDumps(value[key]!)}`).join(', ')}}`;
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(text: string): string {
  let out = '"';
  // Iterating UTF-16 code units gives Python's surrogate pairs for astral characters for free.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const ch = text[i]!;
    if (shortEscapes[ch] !== undefined) out += shortEscapes[ch];
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** Python's str ordering: by code point (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * Turns zod's validation issues into sentences a pipeline author can act on:
 * a missing key says it is missing, a wrong type shows the value found, an
 * unknown kind lists the kinds, and a misspelt key or kind gets a
 * "did you mean" (from the missing keys beside it, or the allowed kinds).
 */
export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  options?: unknown[];
}

export interface DescribedIssue {
  path: PropertyKey[];
  message: string;
}

export function describeIssues(
  issues: readonly SchemaIssue[],
  valueAt: (path: readonly PropertyKey[]) => unknown,
): DescribedIssue[] {
  const missing = issues.filter((i) => i.code === 'invalid_type' && valueAt(i.path) === undefined);
  const siblingsMissing = (parent: readonly PropertyKey[]) =>
    missing
      .filter((m) => m.path.length === parent.length + 1 && parent.every((p, k) => m.path[k] === p))
      .map((m) => String(m.path.at(-1)));
  return issues.flatMap((issue): DescribedIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return (issue.keys ?? []).map((key) => ({
        path: [...issue.path, key],
        message: `unknown key ${JSON.stringify(key)}${didYouMean(key, siblingsMissing(issue.path))}`,
      }));
    }
    const value = valueAt(issue.path);
    if (issue.code === 'invalid_type' && issue.expected) {
      return [
        {
          path: issue.path,
          message:
            value === undefined
              ? `missing: this key is required (${article(issue.expected)})`
              : `expected ${article(issue.expected)}, got ${shown(value)}`,
        },
      ];
    }
    if (issue.code === 'invalid_union' && issue.options?.length) {
      const options = issue.options.map(String);
      return [
        {
          path: issue.path,
          message: `${value === undefined ? 'missing' : shown(value)} is not one of ${options.join(', ')}${typeof value === 'string' ? didYouMean(value, options) : ''}`,
        },
      ];
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

/** ` (did you mean "x"?)` when one candidate is within two edits (or a third of the word). */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const shown = (value: unknown) =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : Array.isArray(value)
      ? 'a list'
      : value !== null && typeof value === 'object'
        ? 'a mapping'
        : String(value);

/**
 * Which test decides drift for a column. 'auto' follows the defaults of
 * Evidently's DataDriftPreset (get_default_stattest), by reference size and,
 * for numeric columns, the number of distinct values of both samples together:
 *
 *   numeric, > 5 distinct,   n_ref <= 1000 → KS,            drift when p < 0.05
 *   numeric, > 5 distinct,   n_ref  > 1000 → Wasserstein/σ, drift when distance >= 0.1
 *   categorical or numeric with <= 5 distinct values (compared as categories):
 *                            n_ref <= 1000 → chi-square,    drift when p < 0.05
 *                               (Evidently uses a proportion Z-test for binary columns;
 *                               on a 2×2 table its p-value is chi-square's)
 *                            n_ref  > 1000 → Jensen–Shannon, drift when distance >= 0.1
 *                               on Evidently's natural-log scale (0.1201 on smx's base 2)
 */
import { usageError } from '../../errors.js';
import { CATEGORICAL_TESTS, type DriftMethod, type DriftTest, NUMERIC_TESTS } from '../types.js';

export const AUTO_SIZE_LIMIT = 1000;
/** A numeric column with at most this many distinct values (both sides together) is tested as categories. */
export const AUTO_FEW_VALUES = 5;

export interface TestChoice {
  test: DriftTest;
  chosenBy: string;
}

export function supportsKind(test: DriftTest, kind: 'numeric' | 'categorical'): boolean {
  return (kind === 'numeric' ? NUMERIC_TESTS : CATEGORICAL_TESTS).includes(test);
}

/** `distinctValues`: of a numeric column, both samples together (undefined: more than AUTO_FEW_VALUES). */
export function autoTest(kind: 'numeric' | 'categorical', referenceCount: number, distinctValues?: number): TestChoice {
  const small = referenceCount <= AUTO_SIZE_LIMIT;
  const size = `reference n ${small ? '<=' : '>'} ${AUTO_SIZE_LIMIT}`;
  if (kind === 'numeric' && (distinctValues === undefined || distinctValues > AUTO_FEW_VALUES)) {
    return { test: small ? 'ks' : 'wasserstein', chosenBy: `auto: numeric, ${size}` };
  }
  const what =
    kind === 'numeric'
      ? `numeric with ${distinctValues} distinct value${distinctValues === 1 ? '' : 's'} (<= ${AUTO_FEW_VALUES}, as categories)`
      : kind;
  return { test: small ? 'chisquare' : 'jensenshannon', chosenBy: `auto: ${what}, ${size}` };
}

/**
 * A per-column method must fit the column (else a usage error naming it); the
 * dataset-wide method applies where it fits and falls back to auto elsewhere.
 */
export function chooseTest(
  column: string,
  kind: 'numeric' | 'categorical',
  referenceCount: number,
  columnMethod: DriftMethod | undefined,
  defaultMethod: DriftMethod,
  distinctValues?: number,
): TestChoice {
  if (columnMethod !== undefined && columnMethod !== 'auto') {
    if (!supportsKind(columnMethod, kind)) {
      throw usageError(`Drift test '${columnMethod}' does not apply to ${kind} column '${column}'`, {
        hint: `Use one of: ${(kind === 'numeric' ? NUMERIC_TESTS : CATEGORICAL_TESTS).join(', ')}, or auto`,
      });
    }
    return { test: columnMethod, chosenBy: 'explicit' };
  }
  if (columnMethod === undefined && defaultMethod !== 'auto' && supportsKind(defaultMethod, kind)) {
    return { test: defaultMethod, chosenBy: 'explicit' };
  }
  return autoTest(kind, referenceCount, distinctValues);
}

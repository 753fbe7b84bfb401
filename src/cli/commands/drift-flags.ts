/**
 * The flags `smx drift` and `smx drift timeline` share: which test, its
 * thresholds, the effect floors and the multivariate methods, parsed into the
 * engine's CompareOptions (a bad value is a usage error naming the flag).
 */
import { usageError } from '../../errors.js';
import {
  ALL_TESTS,
  type CompareOptions,
  type DriftMethod,
  type DriftTest,
  type MultivariateMethod,
} from '../../drift/types.js';
import { parseIntFlag } from '../command-kit.js';
import { type CalibrationSettings, DEFAULT_CALIBRATION } from '../../drift/calibration/effect-pool.js';

export interface CompareFlags {
  method?: string;
  threshold?: string[];
  columnThreshold?: string[];
  columnMethod?: string[];
  columns?: string[];
  bh?: boolean;
  driftShare?: string;
  minSamples?: string;
  effectFloor?: string[];
  calibrationK?: string;
}

const tests: readonly DriftTest[] = ALL_TESTS;

export function parseTest(value: string, flag: string, allowAuto: boolean): DriftMethod {
  if ((allowAuto && value === 'auto') || (tests as readonly string[]).includes(value)) return value as DriftMethod;
  throw usageError(`${flag}: unknown test ${JSON.stringify(value)}.`, {
    hint: `Use one of: ${allowAuto ? 'auto, ' : ''}${tests.join(', ')}.`,
  });
}

/** "name=value" pairs of a repeatable flag. */
export function pairs(values: string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw usageError(`${flag} ${JSON.stringify(item)} is not NAME=VALUE.`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

export function parseNumber(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw usageError(`${flag}: ${JSON.stringify(value)} is not a non-negative number.`);
  return n;
}

const effectMeasures = ['wasserstein', 'spread', 'jensenshannon'] as const;

/** `--effect-floor calibrated`: floors learned per column (calibration/effect-pool.ts). */
export function calibrationFrom(values: string[] | undefined, k: string | undefined): CalibrationSettings | undefined {
  if (!values?.includes('calibrated')) {
    if (k !== undefined) throw usageError('--calibration-k needs --effect-floor calibrated.');
    return undefined;
  }
  return { ...DEFAULT_CALIBRATION, ...(k !== undefined ? { k: parseNumber(k, '--calibration-k') } : {}) };
}

/** `--effect-floor wasserstein=1.75 spread=0.4`, `none` (p-values alone decide, as Evidently), or `calibrated`. */
export function effectFloorsFrom(values: string[] | undefined): CompareOptions['effectFloors'] {
  if (!values?.length) return undefined;
  if (values.length === 1 && values[0] === 'none') return false;
  values = values.filter((v) => v !== 'calibrated');
  if (!values.length) return undefined;
  const floors: Record<string, number> = {};
  for (const [measure, value] of pairs(values, '--effect-floor')) {
    if (!(effectMeasures as readonly string[]).includes(measure))
      throw usageError(`--effect-floor: unknown measure ${JSON.stringify(measure)}.`, {
        hint: `Use ${effectMeasures.join(', ')} (e.g. wasserstein=0.2), or none.`,
      });
    floors[measure] = parseNumber(value, '--effect-floor');
  }
  return floors;
}

/** `--multivariate` alone: both methods; or a comma-separated list of them. */
export function multivariateFrom(value: boolean | string | undefined): MultivariateMethod[] | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return ['domain-classifier', 'pca-reconstruction'];
  const methods = value.split(',').map((m) => m.trim());
  for (const m of methods)
    if (m !== 'domain-classifier' && m !== 'pca-reconstruction')
      throw usageError(`--multivariate: unknown method ${JSON.stringify(m)}.`, {
        hint: 'Use domain-classifier, pca-reconstruction, or both (comma-separated).',
      });
  return methods as MultivariateMethod[];
}

export function compareOptionsFrom(flags: CompareFlags): CompareOptions {
  const method = flags.method ? parseTest(flags.method, '--method', true) : 'auto';
  const thresholds: Partial<Record<DriftTest, number>> = {};
  for (const item of flags.threshold ?? []) {
    if (item.includes('=')) {
      const [[test, value]] = pairs([item], '--threshold') as [[string, string]];
      thresholds[parseTest(test, '--threshold', false) as DriftTest] = parseNumber(value, '--threshold');
    } else if (method !== 'auto') {
      thresholds[method] = parseNumber(item, '--threshold');
    } else {
      throw usageError('--threshold VALUE needs --method TEST; with auto write TEST=VALUE (e.g. ks=0.01).');
    }
  }
  const columnThresholds = Object.fromEntries(
    pairs(flags.columnThreshold, '--column-threshold').map(([c, v]) => [c, parseNumber(v, '--column-threshold')]),
  );
  const columnMethods = Object.fromEntries(
    pairs(flags.columnMethod, '--column-method').map(([c, v]) => [c, parseTest(v, '--column-method', true)]),
  );
  const driftShare = flags.driftShare === undefined ? undefined : parseNumber(flags.driftShare, '--drift-share');
  const effectFloors = effectFloorsFrom(flags.effectFloor);
  return {
    ...(effectFloors !== undefined ? { effectFloors } : {}),
    method,
    thresholds,
    columnThresholds,
    columnMethods,
    driftShare,
    columns: flags.columns?.length ? flags.columns : undefined,
    pValueCorrection: flags.bh ? 'benjamini-hochberg' : 'none',
    minSamples:
      flags.minSamples === undefined ? undefined : parseIntFlag(flags.minSamples, '--min-samples', { min: 1 }),
  };
}

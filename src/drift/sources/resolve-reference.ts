/**
 * `--reference` (and `--season`) resolved to the time ranges a sensor check
 * reads as its reference: a window, a named baseline from drift_baselines, the
 * window a registered model was trained on, or the same hours on previous
 * days or weeks. The pure part is reference-spec.ts; this part looks the
 * baseline up in the database and the model in the registry.
 */
import type { Queryable } from '../../db/db.js';
import { getDriftBaseline, type DriftBaselineRow } from '../../db/queries/drift-baselines.js';
import { notFoundError, usageError } from '../../errors.js';
import {
  describeRanges,
  parseReferenceSpec,
  rangesInPhase,
  type Season,
  seasonalRanges,
  seasonPeriodMs,
} from './reference-spec.js';
import { formatRange, parseTimeRange, precedingRange, type TimeRange } from './window-range.js';

export interface ResolvedReference {
  ranges: TimeRange[];
  /** For reports and drift_checks, e.g. "baseline:normal (hour-of-week: 2 windows from … to …)". */
  label: string;
  /** A baseline's sensors, used when the check names none. */
  sensorIds?: string[];
  baseline?: DriftBaselineRow;
}

export interface ReferenceContext {
  db: () => Promise<Queryable>;
  /** Resolves model:NAME[@VERSION] to its training window (the registry's trainedOn tag). */
  modelWindow?: (ref: string) => Promise<{ from: Date; to: Date; label: string }>;
}

function withSeason(prefix: string, current: TimeRange, base: { from: Date; to: Date }, season?: Season) {
  if (!season) {
    const range = { from: base.from, to: base.to, label: formatRange(base.from, base.to) };
    return { ranges: [range], label: `${prefix} (${range.label})` };
  }
  const ranges = rangesInPhase(current, base, seasonPeriodMs(season));
  return { ranges, label: describeRanges(`${prefix}, ${season}`, ranges) };
}

export async function resolveReference(
  text: string | undefined,
  season: Season | undefined,
  current: TimeRange,
  now: Date,
  context: ReferenceContext,
): Promise<ResolvedReference> {
  const spec = parseReferenceSpec(text);
  let resolved: ResolvedReference;
  switch (spec.kind) {
    case 'preceding': {
      if (season)
        throw usageError(
          '--season needs a --reference to pick the hours from (a window, baseline:NAME or model:NAME).',
        );
      const range = precedingRange(current);
      resolved = { ranges: [range], label: range.label };
      break;
    }
    case 'window':
      resolved = withSeason(spec.text, current, parseTimeRange(spec.text, now, '--reference'), season);
      break;
    case 'seasonal': {
      if (season) throw usageError('--season does not apply to a seasonal:… reference (it already is one).');
      const ranges = seasonalRanges(current, spec.periodMs, spec.count);
      resolved = { ranges, label: describeRanges(spec.text, ranges) };
      break;
    }
    case 'baseline': {
      const baseline = await getDriftBaseline(await context.db(), spec.name);
      if (!baseline) {
        throw notFoundError(`No drift baseline named ${JSON.stringify(spec.name)}.`, {
          hint: 'List them with `smx drift baseline list`; create one with `smx drift baseline set NAME --sensor-type T --window A..B`.',
        });
      }
      const base = { from: baseline.windowFrom, to: baseline.windowTo };
      resolved = {
        ...withSeason(`baseline:${spec.name}`, current, base, season),
        sensorIds: baseline.sensorIds,
        baseline,
      };
      break;
    }
    case 'model': {
      if (!context.modelWindow) throw usageError('model:NAME references need the model registry.');
      const window = await context.modelWindow(spec.ref);
      resolved = withSeason(`model:${window.label}`, current, window, season);
      break;
    }
  }
  if (resolved.ranges.length === 0) {
    throw usageError(`The reference ${resolved.label} holds no window in the current window's phase.`, {
      hint: 'The baseline or window must contain the same hours of the day (or week) as --current.',
    });
  }
  return resolved;
}

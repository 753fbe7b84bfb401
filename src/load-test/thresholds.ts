import { usageError } from '../errors.js';

/**
 * Pass/fail gates on a load test, written as k6 writes them: `p99<20ms`,
 * `errors<1%`, `rps>5000` (`smx loadtest --threshold EXPR`, repeatable).
 *
 *   latency  p50, p90, p95, p99, p99.9, any pNN or p(NN), max, mean (avg)
 *            value in ms unless it says us, µs, ms or s (as k6: a bare number is ms)
 *   errors   requests without a 2xx answer: a share with %, otherwise a count
 *   rps      2xx answers per second (a failing server cannot pass an rps gate)
 *   ops      < <= > >= == !=
 */
export type ThresholdMetric =
  | { kind: 'percentile'; percentile: number }
  | { kind: 'max' }
  | { kind: 'mean' }
  | { kind: 'errors'; share: boolean }
  | { kind: 'rps' };

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  /** As the user wrote it (trimmed), for messages and the report. */
  expression: string;
  metric: ThresholdMetric;
  operator: ThresholdOperator;
  /** In the metric's unit: ms for latency, a fraction (0–1) for an error share, a count, or requests/s. */
  limit: number;
}

/** What a threshold is checked against: a subset of the load-test report. */
export interface ThresholdInputs {
  requests: number;
  ok: number;
  errors: number;
  durationSeconds: number;
  /** Latency of the answered requests (any status); count 0 when nothing was answered. */
  latency: { count: number; meanMs: number; maxMs: number };
  /** Latency at a percentile (0–100), in ms. */
  percentileMs(percentile: number): number;
}

export interface ThresholdResult {
  expression: string;
  passed: boolean;
  /** The measured value, in the threshold's unit (ms, share as %, count, requests/s); null when nothing was measured. */
  actual: number | null;
  unit: string;
}

const EXAMPLES = 'e.g. p99<20ms, errors<1%, rps>5000';
const METRICS = 'p50, p90, p95, p99, p99.9 (any pNN or p(NN)), max, mean, errors, rps';
const PATTERN =
  /^([a-z]+(?:\(\d+(?:\.\d+)?\)|\d+(?:\.\d+)?)?)\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zµ%/]*)$/i;
const TIME_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, '': 1 };

export function parseThreshold(text: string): Threshold {
  const expression = text.trim();
  const fail = (why: string) =>
    usageError(`--threshold ${JSON.stringify(text)}: ${why}.`, {
      hint: `Write METRIC OP VALUE, ${EXAMPLES}. Metrics: ${METRICS}.`,
    });
  const match = PATTERN.exec(expression);
  if (!match) throw fail('not a threshold expression');
  const [, name, operator, number, rawUnit] = match as unknown as [string, string, ThresholdOperator, string, string];
  const value = Number(number);
  const unit = rawUnit.toLowerCase();
  const lower = name.toLowerCase();
  const percentile = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(lower);
  if (percentile || lower === 'max' || lower === 'mean' || lower === 'avg') {
    if (!(unit in TIME_UNITS)) throw fail(`"${rawUnit}" is not a time unit (us, ms, s; a bare number is ms)`);
    const limit = value * TIME_UNITS[unit]!;
    if (!percentile) return { expression, metric: { kind: lower === 'max' ? 'max' : 'mean' }, operator, limit };
    // p999 is the common spelling of p99.9 (wrk, HdrHistogram); p9999 of p99.99.
    const digits = percentile[1]!;
    const p = /^99\d+$/.test(digits) ? Number(`99.${digits.slice(2)}`) : Number(digits);
    if (!(p > 0 && p <= 100)) throw fail(`percentile ${digits} is not in (0, 100]`);
    return { expression, metric: { kind: 'percentile', percentile: p }, operator, limit };
  }
  if (lower === 'errors') {
    if (unit === '%') {
      if (value > 100) throw fail('an error share is at most 100%');
      return { expression, metric: { kind: 'errors', share: true }, operator, limit: value / 100 };
    }
    if (unit !== '') throw fail(`errors take a share (1%) or a count (10), not "${rawUnit}"`);
    return { expression, metric: { kind: 'errors', share: false }, operator, limit: value };
  }
  if (lower === 'rps') {
    if (unit !== '' && unit !== '/s') throw fail(`rps is requests per second, not "${rawUnit}"`);
    return { expression, metric: { kind: 'rps' }, operator, limit: value };
  }
  throw fail(`unknown metric "${name}"`);
}

/** The measured value; NaN for latency when nothing was answered (a refused request has no latency to gate). */
function measured(threshold: Threshold, inputs: ThresholdInputs): { value: number; unit: string } {
  const m = threshold.metric;
  if ((m.kind === 'percentile' || m.kind === 'max' || m.kind === 'mean') && inputs.latency.count === 0)
    return { value: Number.NaN, unit: 'ms' };
  switch (m.kind) {
    case 'percentile':
      return { value: inputs.percentileMs(m.percentile), unit: 'ms' };
    case 'max':
      return { value: inputs.latency.maxMs, unit: 'ms' };
    case 'mean':
      return { value: inputs.latency.meanMs, unit: 'ms' };
    case 'errors':
      // No request at all is no evidence of health: a share of 100 %.
      return m.share
        ? { value: inputs.requests ? inputs.errors / inputs.requests : 1, unit: '%' }
        : { value: inputs.errors, unit: '' };
    case 'rps':
      return { value: inputs.durationSeconds > 0 ? inputs.ok / inputs.durationSeconds : 0, unit: 'req/s' };
  }
}

const compare: Record<ThresholdOperator, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

export function evaluateThresholds(thresholds: readonly Threshold[], inputs: ThresholdInputs): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const { value, unit } = measured(threshold, inputs);
    const passed = Number.isFinite(value) && compare[threshold.operator](value, threshold.limit);
    const shown = unit === '%' ? Math.round(value * 1e6) / 1e4 : Math.round(value * 1000) / 1000;
    // JSON has no NaN: "no measurement" is null.
    return { expression: threshold.expression, passed, actual: Number.isFinite(shown) ? shown : null, unit };
  });
}

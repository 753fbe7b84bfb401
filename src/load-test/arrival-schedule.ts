import { usageError } from '../errors.js';

/**
 * When the open model's requests are due. A constant rate, or ramp stages as
 * k6's ramping-arrival-rate executor has them (`--stages 10s:100,30s:2000,10s:0`):
 * each stage moves the rate linearly from where the previous one ended to its
 * target over its duration, starting from `startRate` (default 0).
 *
 * The k-th request (k from 0) is due when the expected number of arrivals,
 * the integral of the rate, reaches k: exact for a linear ramp (one square
 * root per request), with no drift from summing intervals.
 */
export interface Stage {
  durationMs: number;
  /** Requests per second at the end of the stage. */
  target: number;
}

export interface ArrivalSchedule {
  durationMs: number;
  /** Milliseconds after the start when request k is due; Infinity when it falls after the end. */
  dueAt(k: number): number;
  /** The scheduled rate at `ms` after the start (for the report's target line). */
  rateAt(ms: number): number;
}

export function constantSchedule(rate: number, durationMs: number): ArrivalSchedule {
  const interval = 1000 / rate;
  return {
    durationMs,
    dueAt: (k) => {
      const at = k * interval;
      return at < durationMs ? at : Infinity;
    },
    rateAt: () => rate,
  };
}

interface Segment {
  startMs: number;
  durationMs: number;
  fromRate: number;
  toRate: number;
  /** Expected arrivals before the segment starts. */
  arrivalsBefore: number;
}

export function rampSchedule(stages: readonly Stage[], startRate = 0): ArrivalSchedule {
  const segments: Segment[] = [];
  let startMs = 0;
  let fromRate = startRate;
  let arrivals = 0;
  for (const stage of stages) {
    segments.push({ startMs, durationMs: stage.durationMs, fromRate, toRate: stage.target, arrivalsBefore: arrivals });
    arrivals += ((fromRate + stage.target) / 2) * (stage.durationMs / 1000);
    startMs += stage.durationMs;
    fromRate = stage.target;
  }
  const durationMs = startMs;
  let cursor = 0; // requests come in order: the segment search resumes where it stopped
  return {
    durationMs,
    dueAt(k) {
      if (k < (segments[cursor]?.arrivalsBefore ?? Infinity)) cursor = 0;
      while (cursor + 1 < segments.length && k >= segments[cursor + 1]!.arrivalsBefore) cursor += 1;
      const s = segments[cursor];
      if (!s) return Infinity;
      const m = k - s.arrivalsBefore; // arrivals into this segment
      const seconds = s.durationMs / 1000;
      const a = (s.toRate - s.fromRate) / (2 * seconds); // arrivals(τ) = fromRate·τ + a·τ²
      const disc = s.fromRate * s.fromRate + 4 * a * m;
      if (disc < 0) return Infinity; // a ramp down ends before reaching k
      // The stable root of a·τ² + r0·τ − m = 0, also for a = 0 and a < 0.
      const root = s.fromRate + Math.sqrt(disc);
      const tau = root > 0 ? (2 * m) / root : m === 0 ? 0 : Infinity;
      const at = s.startMs + tau * 1000;
      return tau <= seconds && at < durationMs ? at : Infinity;
    },
    rateAt(ms) {
      const s = segments.find((seg) => ms < seg.startMs + seg.durationMs) ?? segments[segments.length - 1];
      if (!s) return 0;
      const f = Math.min(1, Math.max(0, (ms - s.startMs) / s.durationMs));
      return s.fromRate + (s.toRate - s.fromRate) * f;
    },
  };
}

/** `10s:100,30s:2000,10s:0`: duration:target pairs (durations as --duration takes them). */
export function parseStages(text: string, parseDuration: (value: string) => number): Stage[] {
  const stages = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([^:]+):(\d+(?:\.\d+)?)$/.exec(part);
      if (!match)
        throw usageError(`--stages ${JSON.stringify(text)}: "${part}" is not DURATION:RATE.`, {
          hint: 'Write e.g. --stages 10s:100,30s:2000,10s:0 (ramp to 100 req/s over 10 s, to 2000 over 30 s, down to 0).',
        });
      const durationMs = parseDuration(match[1]!);
      if (!(durationMs > 0)) throw usageError(`--stages: the stage "${part}" has no duration.`);
      return { durationMs, target: Number(match[2]) };
    });
  if (stages.length === 0) throw usageError('--stages is empty; e.g. --stages 10s:100,30s:2000,10s:0.');
  if (stages.every((s) => s.target === 0)) throw usageError(`--stages ${JSON.stringify(text)}: every target is 0.`);
  return stages;
}

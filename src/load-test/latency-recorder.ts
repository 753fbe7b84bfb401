import * as hdr from 'hdr-histogram-js';

/** Percentiles in milliseconds, from an HDR histogram of microseconds (3 significant digits). */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export class LatencyRecorder {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  /** Responses by status code, and failures without a response by error message. */
  readonly outcomes = new Map<string, number>();

  record(micros: number, outcome: string): void {
    this.histogram.recordValue(Math.min(120_000_000, Math.max(1, Math.round(micros))));
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  summary(): LatencySummary {
    const h = this.histogram;
    // A percentile is reported as its bucket's highest equivalent value, which can pass the exact maximum.
    const ms = (micros: number) => Math.round(Math.min(micros, h.maxValue)) / 1000;
    return {
      count: h.totalCount,
      meanMs: h.totalCount ? ms(h.mean) : 0,
      p50Ms: ms(h.getValueAtPercentile(50)),
      p90Ms: ms(h.getValueAtPercentile(90)),
      p95Ms: ms(h.getValueAtPercentile(95)),
      p99Ms: ms(h.getValueAtPercentile(99)),
      p999Ms: ms(h.getValueAtPercentile(99.9)),
      maxMs: ms(h.maxValue),
    };
  }

  destroy(): void {
    this.histogram.destroy();
  }
}

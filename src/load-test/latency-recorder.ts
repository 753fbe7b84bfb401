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

/** A recorder's content in a form that crosses a worker thread (histogram as compressed base64). */
export interface RecordedLatencies {
  histogram: string;
  outcomes: Array<[string, number]>;
}

const newHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

export class LatencyRecorder {
  private readonly histogram = newHistogram();
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

  /** Everything recorded, for merging in another thread (`LatencyRecorder.merge`). */
  export(): RecordedLatencies {
    return { histogram: hdr.encodeIntoCompressedBase64(this.histogram), outcomes: [...this.outcomes] };
  }

  /** One recorder holding the sum of several (the threads of one load test); HDR histograms add exactly. */
  static merge(parts: readonly RecordedLatencies[]): LatencyRecorder {
    const merged = new LatencyRecorder();
    for (const part of parts) {
      const histogram = hdr.decodeFromCompressedBase64(part.histogram);
      merged.histogram.add(histogram);
      histogram.destroy();
      for (const [outcome, count] of part.outcomes)
        merged.outcomes.set(outcome, (merged.outcomes.get(outcome) ?? 0) + count);
    }
    return merged;
  }

  destroy(): void {
    this.histogram.destroy();
  }
}

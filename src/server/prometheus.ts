/**
 * Minimal Prometheus text-format primitives (exposition format 0.0.4): a
 * labelled counter and a labelled histogram with fixed buckets, and renderers
 * for values read at scrape time (gauge, counter, summary). Enough for the
 * server's metrics without a client library; label values are escaped. The
 * output passes `promtool check metrics` (test/server/metrics-exposition.test.ts).
 */
export type Labels = Readonly<Record<string, string>>;

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatLabels(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escape(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const labelKey = (labels: Labels) => Object.values(labels).join('\u0000');

export class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    this.child(labels).value += by;
  }

  /** The series of these labels (created at 0), for a hot path that would otherwise build its key on every call. */
  child(labels: Labels): { value: number } {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, value: 0 };
      this.series.set(key, entry);
    }
    return entry;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.series.values()) lines.push(`${this.name}${formatLabels(labels)} ${value}`);
    return lines.join('\n');
  }
}

interface HistogramSeries {
  labels: Labels;
  counts: Float64Array;
  sum: number;
  count: number;
}

export class Histogram {
  private readonly series = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    this.record(this.seriesOf(labels), value);
  }

  /** The series of these labels, to observe into without building its key on every call. */
  child(labels: Labels): { observe(value: number): void } {
    const series = this.seriesOf(labels);
    return { observe: (value) => this.record(series, value) };
  }

  private seriesOf(labels: Labels): HistogramSeries {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    return entry;
  }

  private record(series: HistogramSeries, value: number): void {
    // Counts per bucket are stored non-cumulatively and summed when rendered.
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    if (i < this.buckets.length) series.counts[i]! += 1;
    series.sum += value;
    series.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += counts[i]!;
        lines.push(`${this.name}_bucket${formatLabels(labels, ['le', String(bound)])} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${formatLabels(labels, ['le', '+Inf'])} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${sum}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** Samples read at scrape time; `type` 'counter' for a count kept elsewhere that only grows. */
export function gauge(
  name: string,
  help: string,
  samples: Array<[Labels, number]>,
  type: 'gauge' | 'counter' = 'gauge',
): string {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...samples.map(([labels, value]) => `${name}${formatLabels(labels)} ${value}`),
  ].join('\n');
}

/** A counter with one unlabelled value read at scrape time (e.g. CPU seconds from the process). */
export function counter(name: string, help: string, value: number): string {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`].join('\n');
}

/** A summary: quantiles over a recent window, `_sum` and `_count` over the process's life. */
export function summary(
  name: string,
  help: string,
  quantiles: Array<[number, number]>,
  sum: number,
  count: number,
): string {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} summary`,
    ...quantiles.map(([q, value]) => `${name}${formatLabels({ quantile: String(q) })} ${value}`),
    `${name}_sum ${sum}`,
    `${name}_count ${count}`,
  ].join('\n');
}

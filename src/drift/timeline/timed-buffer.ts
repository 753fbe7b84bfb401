/**
 * One sensor's recent readings in time order (epoch ms and value), appended
 * while the timeline streams and trimmed behind it: slices by time are two
 * binary searches, and `evictBefore` drops what no later chunk's reference
 * can reach, so memory stays bounded by the look-back, not the period.
 */
export class TimedBuffer {
  private times = new Float64Array(1024);
  private values = new Float64Array(1024);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(t: number, v: number): void {
    if (this.end === this.times.length) this.grow();
    this.times[this.end] = t;
    this.values[this.end] = v;
    this.end++;
  }

  private grow(): void {
    const live = this.end - this.start;
    // Compact first; double only when more than half the array is live.
    const size = live * 2 > this.times.length ? this.times.length * 2 : this.times.length;
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    times.set(this.times.subarray(this.start, this.end));
    values.set(this.values.subarray(this.start, this.end));
    this.times = times;
    this.values = values;
    this.start = 0;
    this.end = live;
  }

  private lowerBound(t: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Readings with from ≤ t < to (views: copy them before the buffer grows). */
  slice(from: number, to: number): { times: Float64Array; values: Float64Array } {
    const a = this.lowerBound(from);
    const b = this.lowerBound(to);
    return { times: this.times.subarray(a, b), values: this.values.subarray(a, b) };
  }

  evictBefore(t: number): void {
    this.start = this.lowerBound(t);
  }
}

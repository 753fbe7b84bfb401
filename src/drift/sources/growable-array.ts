/** An append-only Float64Array that doubles its capacity: columns of unknown length without boxed numbers. */
export class GrowableFloat64Array {
  private buffer: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new Float64Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    this.buffer[this.length++] = value;
  }

  get(index: number): number {
    return this.buffer[index]!;
  }

  /** A right-sized copy of the values pushed so far. */
  toArray(): Float64Array {
    return this.buffer.slice(0, this.length);
  }
}

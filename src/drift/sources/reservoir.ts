/**
 * Seeded reservoir sampling (Li's Algorithm L): a uniform sample of k values
 * from a stream of unknown length in one pass, O(k) memory, and only
 * O(k log(n/k)) random draws because it skips ahead geometrically instead of
 * drawing once per item. Same seed and same stream give the same sample.
 */
import { usageError } from '../../errors.js';
import { Random } from '../../random.js';

export interface ReservoirSample {
  values: Float64Array;
  /** Items seen in the stream. */
  seen: number;
  /** True when the stream was longer than the reservoir (values is a sample). */
  sampled: boolean;
}

export class Reservoir {
  private readonly buffer: Float64Array;
  private readonly random: Random;
  private count = 0;
  private w = 1;
  private nextIndex = 0;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw usageError(`Reservoir size must be a positive integer, got ${capacity}`);
    this.buffer = new Float64Array(capacity);
    this.random = new Random(seed);
  }

  private scheduleNext(): void {
    this.w *= Math.exp(Math.log(this.random.nextOpenFloat()) / this.capacity);
    this.nextIndex += Math.floor(Math.log(this.random.nextOpenFloat()) / Math.log1p(-this.w)) + 1;
  }

  add(value: number): void {
    const k = this.capacity;
    if (this.count < k) {
      this.buffer[this.count] = value;
      this.count++;
      if (this.count === k) {
        this.nextIndex = k - 1;
        this.scheduleNext();
      }
      return;
    }
    if (this.count === this.nextIndex) {
      this.buffer[this.random.nextInt(k)] = value;
      this.scheduleNext();
    }
    this.count++;
  }

  addAll(values: Iterable<number>): void {
    for (const v of values) this.add(v);
  }

  result(): ReservoirSample {
    const size = Math.min(this.count, this.capacity);
    return { values: this.buffer.slice(0, size), seen: this.count, sampled: this.count > this.capacity };
  }
}

/** Sample up to `capacity` values from a sync or async stream of numbers. */
export async function reservoirSample(
  source: Iterable<number> | AsyncIterable<number>,
  capacity: number,
  seed: number,
): Promise<ReservoirSample> {
  const reservoir = new Reservoir(capacity, seed);
  for await (const value of source) reservoir.add(value);
  return reservoir.result();
}

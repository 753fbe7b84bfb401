import type { Queryable } from '../db/db.js';
import { foldHourlyColumns, type HourlyColumns } from '../db/queries/sensor-readings-hourly.js';

const hourMicros = 3_600_000_000;

/**
 * Per (sensor, UTC hour) count, sum, min and max of a batch's values, gathered
 * while the batch is encoded. A batch that goes straight into its weekly
 * partitions does not fire the parent's statement trigger
 * (sensor_readings_fold_hourly), so the writer folds these few rows into
 * sensor_readings_hourly itself, with the trigger's arithmetic (`foldHourly`).
 *
 * Sensors are numbered by the caller (dense, from 0), so the common case — the
 * same sensor in the same hour as its previous row — costs two array reads.
 */
export class HourlyAggregates {
  /** Number of (sensor, hour) slots in use. */
  size = 0;
  private sensorOf: string[] = [];
  private hourOf: number[] = [];
  private count = new Float64Array(256);
  private sum = new Float64Array(256);
  private min = new Float64Array(256);
  private max = new Float64Array(256);
  private readonly lastHour: number[] = [];
  private readonly lastSlot: number[] = [];
  private readonly slots: Map<number, number>[] = [];

  add(sensorIndex: number, sensorId: string, tsMicros: number, value: number): void {
    const hour = Math.floor(tsMicros / hourMicros);
    let slot: number;
    if (this.lastHour[sensorIndex] === hour) {
      slot = this.lastSlot[sensorIndex]!;
    } else {
      let hours = this.slots[sensorIndex];
      if (!hours) {
        hours = new Map();
        this.slots[sensorIndex] = hours;
      }
      const known = hours.get(hour);
      if (known === undefined) {
        slot = this.newSlot(sensorId, hour, value);
        hours.set(hour, slot);
      } else {
        slot = known;
      }
      this.lastHour[sensorIndex] = hour;
      this.lastSlot[sensorIndex] = slot;
    }
    this.count[slot]! += 1;
    this.sum[slot]! += value;
    if (value < this.min[slot]!) this.min[slot] = value;
    if (value > this.max[slot]!) this.max[slot] = value;
  }

  private newSlot(sensorId: string, hour: number, value: number): number {
    if (this.size === this.count.length) {
      const grow = (a: Float64Array) => {
        const next = new Float64Array(a.length * 2);
        next.set(a);
        return next;
      };
      this.count = grow(this.count);
      this.sum = grow(this.sum);
      this.min = grow(this.min);
      this.max = grow(this.max);
    }
    const slot = this.size++;
    this.sensorOf.push(sensorId);
    this.hourOf.push(hour);
    this.count[slot] = 0;
    this.sum[slot] = 0;
    this.min[slot] = value;
    this.max[slot] = value;
    return slot;
  }

  /** Column arrays for `foldHourly`: sensor ids, bucket starts (ISO, UTC), counts, sums, minima, maxima. */
  columns(): HourlyColumns {
    const n = this.size;
    return {
      sensors: this.sensorOf.slice(0, n),
      buckets: this.hourOf.slice(0, n).map((h) => new Date((h * hourMicros) / 1000).toISOString()),
      counts: Array.from(this.count.subarray(0, n)),
      sums: Array.from(this.sum.subarray(0, n)),
      mins: Array.from(this.min.subarray(0, n)),
      maxs: Array.from(this.max.subarray(0, n)),
    };
  }
}

/** Adds the aggregates to the hourly table exactly as the fold trigger would (foldHourlyColumns). Call only for rows that were all inserted. */
export async function foldHourly(client: Queryable, aggregates: HourlyAggregates): Promise<void> {
  if (aggregates.size === 0) return;
  await foldHourlyColumns(client, aggregates.columns());
}

import { HourlyAggregates } from './hourly-fold.js';

/**
 * One batch of readings encoded as PostgreSQL binary COPY data for the columns
 * (sensor_id, ts, value, quality, batch_id, xid). The xid (the writing
 * transaction) is patched in by `setXid` once the transaction is known: sending
 * it is cheaper than letting the column default convert pg_current_xact_id()
 * through text for every row. Binary, because Postgres then
 * parses no text: timestamps go in as int64 microseconds, values as IEEE
 * doubles, exactly as validated. The batch also remembers what the writer
 * needs before the COPY: the weeks it touches (partitions), its time range and
 * its sensors (registration); and, for the partition-direct write, where each
 * week's rows lie (`weekPayloads`) and the batch's hourly aggregates.
 */

const header = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The file trailer: a field count of -1. */
const trailer = Buffer.from([0xff, 0xff]);
/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const pgEpochMicros = 946_684_800_000_000;
const weekMicros = 7 * 86_400_000_000;
/** 1970-01-01 was a Thursday; weeks (like date_trunc('week')) start on Monday. */
const mondayShiftMicros = 3 * 86_400_000_000;

export interface SensorInfo {
  sensorType: string | undefined;
  unit: string | undefined;
  metadata: string | undefined;
}

interface SensorState {
  bytes: Buffer;
  index: number;
  minMicros: number;
  maxMicros: number;
}

export class CopyBatch {
  rows = 0;
  minMicros = Number.POSITIVE_INFINITY;
  maxMicros = Number.NEGATIVE_INFINITY;
  /** Monday-based week numbers since 1970 (partition keys). */
  readonly weeks = new Set<number>();
  /** First description seen per sensor in this batch. */
  readonly sensors = new Map<string, SensorInfo>();
  private buffer: Buffer;
  private view: DataView;
  private length: number;
  private readonly batchIdHi: number;
  private readonly batchIdLo: number;
  /** Per sensor: its UTF-8 bytes and a dense index (for the hourly aggregates). */
  private readonly perSensor = new Map<string, SensorState>();
  /** Count, sum, min and max per (sensor, UTC hour) of the rows added. */
  readonly hourly = new HourlyAggregates();
  /** Runs of consecutive rows in one week: the first row of each run and its week. */
  private readonly runStarts: number[] = [];
  private readonly runWeeks: number[] = [];
  private payload: Buffer | undefined;
  /** Where each row's xid value starts, for setXid. */
  private xidOffsets = new Uint32Array(1024);

  /** `nullBatchId`: batch_id is NULL (readings that belong to no ingest run, e.g. from `smx serve`). */
  constructor(
    batchId: number,
    initialBytes = 1 << 20,
    private readonly nullBatchId = false,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    header.copy(this.buffer, 0);
    this.length = header.length;
    this.batchIdHi = Math.floor(batchId / 4294967296);
    this.batchIdLo = batchId >>> 0;
  }

  get byteLength(): number {
    return this.length;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * Adds one row. The description (type, unit, metadata JSON) is kept for the
   * sensor's first row in the batch; passed as plain arguments so that no
   * object is made for each row.
   */
  add(
    sensorId: string,
    tsMicros: number,
    value: number,
    quality: number,
    sensorType?: string,
    unit?: string,
    metadata?: string,
  ): void {
    let known = this.perSensor.get(sensorId);
    if (!known) {
      known = {
        bytes: Buffer.from(sensorId, 'utf8'),
        index: this.perSensor.size,
        minMicros: tsMicros,
        maxMicros: tsMicros,
      };
      this.perSensor.set(sensorId, known);
      this.sensors.set(sensorId, { sensorType, unit, metadata });
    }
    const id = known.bytes;
    this.reserve(2 + 4 + id.length + 12 + 12 + 8 + 12 + 12);
    const v = this.view;
    let o = this.length;
    v.setInt16(o, 6);
    o += 2;
    v.setInt32(o, id.length);
    o += 4;
    if (id.length < 32) for (let i = 0; i < id.length; i++) this.buffer[o + i] = id[i]!;
    else id.copy(this.buffer, o);
    o += id.length;
    const pgMicros = tsMicros - pgEpochMicros;
    const hi = Math.floor(pgMicros / 4294967296);
    v.setInt32(o, 8);
    v.setInt32(o + 4, hi);
    v.setUint32(o + 8, pgMicros - hi * 4294967296);
    o += 12;
    v.setInt32(o, 8);
    v.setFloat64(o + 4, value);
    o += 12;
    v.setInt32(o, 4);
    v.setFloat32(o + 4, quality);
    o += 8;
    if (this.nullBatchId) {
      v.setInt32(o, -1);
      o += 4;
    } else {
      v.setInt32(o, 8);
      v.setInt32(o + 4, this.batchIdHi);
      v.setUint32(o + 8, this.batchIdLo);
      o += 12;
    }
    if (this.rows === this.xidOffsets.length) {
      const grown = new Uint32Array(this.xidOffsets.length * 2);
      grown.set(this.xidOffsets);
      this.xidOffsets = grown;
    }
    v.setInt32(o, 8);
    this.xidOffsets[this.rows] = o + 4;
    o += 12;
    this.length = o;
    this.rows += 1;
    if (tsMicros < this.minMicros) this.minMicros = tsMicros;
    if (tsMicros > this.maxMicros) this.maxMicros = tsMicros;
    if (tsMicros < known.minMicros) known.minMicros = tsMicros;
    if (tsMicros > known.maxMicros) known.maxMicros = tsMicros;
    const week = weekOfMicros(tsMicros);
    if (this.runWeeks[this.runWeeks.length - 1] !== week) {
      this.runStarts.push(this.rows - 1);
      this.runWeeks.push(week);
      this.weeks.add(week);
    }
    this.hourly.add(known.index, sensorId, tsMicros, value);
  }

  /**
   * Each sensor's time range in this batch (epoch microseconds). The collision
   * probe asks per sensor: with a file ordered by time, consecutive batches
   * share a boundary instant for different sensors, so one range for all
   * sensors would see a collision at every batch boundary.
   */
  sensorRanges(): { ids: string[]; minMicros: number[]; maxMicros: number[] } {
    const ids: string[] = [];
    const minMicros: number[] = [];
    const maxMicros: number[] = [];
    for (const [id, s] of this.perSensor) {
      ids.push(id);
      minMicros.push(s.minMicros);
      maxMicros.push(s.maxMicros);
    }
    return { ids, minMicros, maxMicros };
  }

  /** Writes the transaction id into every row (again on a retry, with the new transaction's id). */
  setXid(xid: number): void {
    const hi = Math.floor(xid / 4294967296);
    const lo = xid - hi * 4294967296;
    for (let i = 0; i < this.rows; i++) {
      const at = this.xidOffsets[i]!;
      this.view.setInt32(at, hi);
      this.view.setUint32(at + 4, lo);
    }
  }

  /** The complete COPY payload (header, tuples, trailer). The batch must not be added to afterwards. */
  finish(): Buffer {
    if (!this.payload) {
      this.reserve(2);
      this.view.setInt16(this.length, -1);
      this.payload = this.buffer.subarray(0, this.length + 2);
    }
    return this.payload;
  }

  /**
   * One complete COPY payload per week (header, that week's tuples, trailer),
   * cut from the finished payload, so the xid set by `setXid` is in them. A
   * batch within one week is returned as is, without copying.
   */
  weekPayloads(): Map<number, Buffer> {
    const whole = this.finish();
    const out = new Map<number, Buffer>();
    if (this.weeks.size === 1) {
      out.set(this.runWeeks[0]!, whole);
      return out;
    }
    const parts = new Map<number, Buffer[]>();
    for (let r = 0; r < this.runStarts.length; r++) {
      const week = this.runWeeks[r]!;
      const from = this.rowStart(this.runStarts[r]!);
      const to = r + 1 < this.runStarts.length ? this.rowStart(this.runStarts[r + 1]!) : this.length;
      let list = parts.get(week);
      if (!list) {
        list = [header];
        parts.set(week, list);
      }
      list.push(whole.subarray(from, to));
    }
    for (const [week, list] of parts) out.set(week, Buffer.concat([...list, trailer]));
    return out;
  }

  /** Byte offset where row `i` starts: after the header, or where row i-1's xid (its last field) ends. */
  private rowStart(i: number): number {
    return i === 0 ? header.length : this.xidOffsets[i - 1]! + 8;
  }
}

/** The Monday-based week number (partition key) of an instant in epoch microseconds. */
export function weekOfMicros(tsMicros: number): number {
  return Math.floor((tsMicros + mondayShiftMicros) / weekMicros);
}

/** The start (Monday 00:00 UTC) of a week number, as epoch milliseconds. */
export function weekStartMs(week: number): number {
  return (week * weekMicros - mondayShiftMicros) / 1000;
}

/**
 * One batch of readings encoded as PostgreSQL binary COPY data for the columns
 * (sensor_id, ts, value, quality, batch_id, xid). The xid (the writing
 * transaction) is patched in by `setXid` once the transaction is known: sending
 * it is cheaper than letting the column default convert pg_current_xact_id()
 * through text for every row. Binary, because Postgres then
 * parses no text: timestamps go in as int64 microseconds, values as IEEE
 * doubles, exactly as validated. The batch also remembers what the writer
 * needs before the COPY: the weeks it touches (partitions), its time range and
 * its sensors (registration).
 */
const header = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
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
  private readonly idBytes = new Map<string, Buffer>();
  private payload: Buffer | undefined;
  /** Where each row's xid value starts, for setXid. */
  private xidOffsets = new Uint32Array(1024);

  /** `nullBatchId`: batch_id is NULL (readings that belong to no ingest run, e.g. from `smx serve`). */
  constructor(batchId: number, initialBytes = 1 << 20, private readonly nullBatchId = false) {
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

  private sensorBytes(sensorId: string): Buffer {
    let bytes = this.idBytes.get(sensorId);
    if (!bytes) {
      bytes = Buffer.from(sensorId, 'utf8');
      this.idBytes.set(sensorId, bytes);
    }
    return bytes;
  }

  add(sensorId: string, tsMicros: number, value: number, quality: number, info?: SensorInfo): void {
    const id = this.sensorBytes(sensorId);
    if (!this.sensors.has(sensorId)) this.sensors.set(sensorId, info ?? { sensorType: undefined, unit: undefined, metadata: undefined });
    this.reserve(2 + 4 + id.length + 12 + 12 + 8 + 12 + 12);
    const v = this.view;
    let o = this.length;
    v.setInt16(o, 6); o += 2;
    v.setInt32(o, id.length); o += 4;
    if (id.length < 32) for (let i = 0; i < id.length; i++) this.buffer[o + i] = id[i]!;
    else id.copy(this.buffer, o);
    o += id.length;
    const pgMicros = tsMicros - pgEpochMicros;
    const hi = Math.floor(pgMicros / 4294967296);
    v.setInt32(o, 8); v.setInt32(o + 4, hi); v.setUint32(o + 8, pgMicros - hi * 4294967296); o += 12;
    v.setInt32(o, 8); v.setFloat64(o + 4, value); o += 12;
    v.setInt32(o, 4); v.setFloat32(o + 4, quality); o += 8;
    if (this.nullBatchId) {
      v.setInt32(o, -1); o += 4;
    } else {
      v.setInt32(o, 8); v.setInt32(o + 4, this.batchIdHi); v.setUint32(o + 8, this.batchIdLo); o += 12;
    }
    if (this.rows === this.xidOffsets.length) {
      const grown = new Uint32Array(this.xidOffsets.length * 2);
      grown.set(this.xidOffsets);
      this.xidOffsets = grown;
    }
    v.setInt32(o, 8); this.xidOffsets[this.rows] = o + 4; o += 12;
    this.length = o;
    this.rows += 1;
    if (tsMicros < this.minMicros) this.minMicros = tsMicros;
    if (tsMicros > this.maxMicros) this.maxMicros = tsMicros;
    this.weeks.add(Math.floor((tsMicros + mondayShiftMicros) / weekMicros));
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

}

/** The start (Monday 00:00 UTC) of a week number, as epoch milliseconds. */
export function weekStartMs(week: number): number {
  return (week * weekMicros - mondayShiftMicros) / 1000;
}

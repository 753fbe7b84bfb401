/**
 * Serialises stage outputs for the stage cache: plain JSON for the structure,
 * typed arrays as raw little-endian bytes in a side buffer (exact, compact and
 * fast to read back), and NaN/±Infinity kept (JSON would turn them into null).
 * Only plain objects, arrays, strings, numbers, booleans, null and typed arrays
 * are supported: stages return data, not class instances.
 */
type TypedArray =
  Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
const constructors = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof constructors;

export interface EncodedValue {
  json: string;
  bin: Buffer;
}

export function encodeValue(value: unknown): EncodedValue {
  const chunks: Buffer[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as TypedName;
      if (!(name in constructors)) throw new TypeError(`cannot cache a ${name}`);
      const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      const pad = (8 - (offset % 8)) % 8; // keep every array aligned for a zero-copy view on read
      if (pad) chunks.push(Buffer.alloc(pad));
      offset += pad;
      chunks.push(bytes);
      const ref = { $typed: name, offset, length: (v as TypedArray).length };
      offset += bytes.byteLength;
      return ref;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (Object.getPrototypeOf(v) !== Object.prototype)
      throw new TypeError(`cannot cache an instance of ${v.constructor?.name ?? 'a class'}`);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
    return out;
  };
  const json = JSON.stringify(walk(value));
  return { json, bin: Buffer.concat(chunks) };
}

export function decodeValue(json: string, bin: Buffer): unknown {
  // Copy once into an 8-byte-aligned buffer so Float64Array views are legal.
  const aligned = new Uint8Array(new ArrayBuffer(bin.byteLength));
  aligned.set(bin);
  return JSON.parse(json, (_, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$typed === 'string' && typeof o.offset === 'number' && typeof o.length === 'number') {
        const Ctor = constructors[o.$typed as TypedName];
        return new Ctor(aligned.buffer, o.offset, o.length).slice();
      }
      if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
    }
    return v;
  });
}

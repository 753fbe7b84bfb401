import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { inputError } from '../../errors.js';

/**
 * Reader for MATLAB Level 5 MAT-files (the format of the CWRU bearing data, and
 * of anything saved with `save -v6`/`-v7`). Handles miMATRIX elements of the
 * numeric classes (double, single, int8..uint64), stored in any numeric data
 * type (MATLAB may store doubles as int16 to save space), small data elements,
 * zlib-compressed miCOMPRESSED elements (v7), and either byte order. Complex
 * arrays return the real part (flagged). Cell, struct, object, char and sparse
 * variables are listed in `skipped` rather than decoded. v7.3 files are HDF5 and
 * are rejected with a clear message.
 *
 * The CWRU files are v5 from 2000, uncompressed, little-endian, e.g.
 * normal_0_97.mat → X097_DE_time (243,938 × 1), X097_FE_time, X097RPM.
 */
export interface MatVariable {
  name: string;
  dims: number[];
  className: string;
  complex: boolean;
  /** Column-major values as double. */
  data: Float64Array;
}

export interface MatFile {
  header: string;
  variables: Map<string, MatVariable>;
  skipped: { name: string; className: string }[];
}

const classNames: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const numericClasses = new Set([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
const miMATRIX = 14;
const miCOMPRESSED = 15;

interface Element {
  type: number;
  body: DataView;
  /** Offset just past this element (including padding). */
  next: number;
}

class MatReader {
  constructor(
    private readonly fail: (reason: string) => Error,
    private readonly little: boolean,
  ) {}

  element(view: DataView, at: number): Element {
    if (at + 8 > view.byteLength) throw this.fail(`element tag at byte ${at} is truncated`);
    const first = view.getUint32(at, this.little);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element: type and size share the first word, data in the next 4 bytes.
      const body = new DataView(view.buffer, view.byteOffset + at + 4, small);
      return { type: first & 0xffff, body, next: at + 8 };
    }
    const size = view.getUint32(at + 4, this.little);
    if (at + 8 + size > view.byteLength)
      throw this.fail(`element at byte ${at} declares ${size} bytes, beyond the end`);
    const body = new DataView(view.buffer, view.byteOffset + at + 8, size);
    const padded = first === miCOMPRESSED ? size : Math.ceil(size / 8) * 8;
    return { type: first, body, next: Math.min(at + 8 + padded, view.byteLength) };
  }

  numbers(el: Element): Float64Array {
    const { body, type } = el;
    const le = this.little;
    const width: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };
    const w = width[type];
    if (w === undefined) throw this.fail(`data type ${type} is not numeric`);
    const n = Math.floor(body.byteLength / w);
    const out = new Float64Array(n);
    const get: (o: number) => number =
      type === 1
        ? (o) => body.getInt8(o)
        : type === 2
          ? (o) => body.getUint8(o)
          : type === 3
            ? (o) => body.getInt16(o, le)
            : type === 4
              ? (o) => body.getUint16(o, le)
              : type === 5
                ? (o) => body.getInt32(o, le)
                : type === 6
                  ? (o) => body.getUint32(o, le)
                  : type === 7
                    ? (o) => body.getFloat32(o, le)
                    : type === 9
                      ? (o) => body.getFloat64(o, le)
                      : type === 12
                        ? (o) => Number(body.getBigInt64(o, le))
                        : (o) => Number(body.getBigUint64(o, le));
    for (let i = 0; i < n; i++) out[i] = get(i * w);
    return out;
  }

  matrix(body: DataView): MatVariable | { name: string; className: string; skipped: true } {
    const flags = this.element(body, 0);
    const classCode = flags.body.getUint32(0, this.little) & 0xff;
    const complex = (flags.body.getUint32(0, this.little) & 0x800) !== 0;
    const dimsEl = this.element(body, flags.next);
    const dims = Array.from(this.numbers(dimsEl));
    const nameEl = this.element(body, dimsEl.next);
    const name = new TextDecoder().decode(
      new Uint8Array(nameEl.body.buffer, nameEl.body.byteOffset, nameEl.body.byteLength),
    );
    const className = classNames[classCode] ?? `class${classCode}`;
    if (!numericClasses.has(classCode)) return { name, className, skipped: true };
    const real = this.numbers(this.element(body, nameEl.next));
    const expected = dims.reduce((a, b) => a * b, 1);
    if (real.length !== expected) throw this.fail(`variable ${name}: ${real.length} values for dims ${dims.join('×')}`);
    return { name, dims, className, complex, data: real };
  }
}

export function decodeMat(bytes: Uint8Array, fileLabel = '<buffer>'): MatFile {
  const fail = (reason: string) =>
    inputError(`${fileLabel}: not a readable MAT-file: ${reason}`, { details: { file: fileLabel } });
  if (bytes.byteLength < 128) throw fail(`only ${bytes.byteLength} bytes, shorter than the 128-byte header`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116)).trimEnd();
  if (header.startsWith('MATLAB 7.3'))
    throw fail('v7.3 MAT-files are HDF5; re-save with save -v7 or read them with an HDF5 tool');
  if (!header.startsWith('MATLAB 5.0'))
    throw fail('missing the "MATLAB 5.0 MAT-file" header (v4 files are not supported)');
  const endian = String.fromCharCode(bytes[126] as number, bytes[127] as number);
  if (endian !== 'IM' && endian !== 'MI') throw fail(`byte-order mark ${JSON.stringify(endian)} is neither IM nor MI`);
  const reader = new MatReader(fail, endian === 'IM');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const variables = new Map<string, MatVariable>();
  const skipped: MatFile['skipped'] = [];
  let at = 128;
  while (at + 8 <= view.byteLength) {
    let el = reader.element(view, at);
    at = el.next;
    if (el.type === miCOMPRESSED) {
      let inflated: Buffer;
      try {
        inflated = inflateSync(new Uint8Array(el.body.buffer, el.body.byteOffset, el.body.byteLength));
      } catch (error) {
        throw fail(`compressed element could not be inflated: ${(error as Error).message}`);
      }
      el = reader.element(new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength), 0);
    }
    if (el.type !== miMATRIX) continue; // stray top-level elements carry no variable
    const v = reader.matrix(el.body);
    if ('skipped' in v) skipped.push({ name: v.name, className: v.className });
    else variables.set(v.name, v);
  }
  return { header, variables, skipped };
}

export async function readMatFile(path: string): Promise<MatFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw inputError(`${path}: cannot read MAT-file: ${(error as Error).message}`, {
      cause: error,
      details: { file: path },
    });
  }
  return decodeMat(bytes, path);
}

/** The variable whose name ends with `suffix` (CWRU names carry the file number, e.g. X097_DE_time). */
export function matVariableEndingWith(file: MatFile, suffix: string, fileLabel = 'MAT-file'): MatVariable {
  const hits = [...file.variables.values()].filter((v) => v.name.endsWith(suffix));
  if (hits.length !== 1) {
    throw inputError(`${fileLabel}: expected one variable ending in ${suffix}, found ${hits.length}`, {
      details: { variables: [...file.variables.keys()] },
    });
  }
  return hits[0] as MatVariable;
}

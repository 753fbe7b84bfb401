import { ProtoWriter } from './protobuf-writer.js';

/**
 * A small declarative view of an ONNX model and its encoding to ModelProto
 * bytes. Field numbers are those of onnx/onnx.proto (IR version 8); only what
 * tree-ensemble models need is covered: nodes with scalar, list and tensor
 * attributes, float/int64 value infos with symbolic dimensions, float and
 * int64 initializers and string metadata.
 */

export const ElemType = { float: 1, int64: 7, double: 11 } as const;

export interface OnnxAttribute {
  name: string;
  write(w: ProtoWriter): void;
}

const AttrType = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

export const attr = {
  int: (name: string, v: number): OnnxAttribute => ({
    name,
    write: (w) => w.string(1, name).int(3, v).int(20, AttrType.int),
  }),
  float: (name: string, v: number): OnnxAttribute => ({
    name,
    write: (w) => w.string(1, name).float(2, v).int(20, AttrType.float),
  }),
  string: (name: string, v: string): OnnxAttribute => ({
    name,
    write: (w) => w.string(1, name).string(4, v).int(20, AttrType.string),
  }),
  ints: (name: string, v: ArrayLike<number>): OnnxAttribute => ({
    name,
    write: (w) => w.string(1, name).packedInts(8, v).int(20, AttrType.ints),
  }),
  floats: (name: string, v: ArrayLike<number>): OnnxAttribute => ({
    name,
    write: (w) => w.string(1, name).packedFloats(7, v).int(20, AttrType.floats),
  }),
  strings: (name: string, v: readonly string[]): OnnxAttribute => ({
    name,
    write: (w) => {
      w.string(1, name);
      for (const s of v) w.string(9, s);
      w.int(20, AttrType.strings);
    },
  }),
};

export interface OnnxNode {
  opType: string;
  domain?: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** A number is a fixed size, a string a symbolic one (e.g. 'N' for the batch). */
  dims: (number | string)[];
}

/** A float32 or int64 constant (graph initializer). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  elemType: typeof ElemType.float | typeof ElemType.int64;
  values: ArrayLike<number>;
}

export interface OnnxModelSpec {
  graphName: string;
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxTensor[];
  opsets: { domain: string; version: number }[];
  metadata?: Record<string, string>;
  docString?: string;
  producerVersion?: string;
}

export const IR_VERSION = 8;

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) w.message(5, (aw) => a.write(aw));
  if (n.domain) w.string(7, n.domain);
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.elemType);
  if (t.elemType === ElemType.float) w.packedFloats(4, t.values);
  else w.packedInts(7, t.values);
  w.string(8, t.name);
}

export function encodeModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION);
  w.string(2, 'smx');
  w.string(3, spec.producerVersion ?? '0.1.0');
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    for (const n of spec.nodes) g.message(1, (nw) => writeNode(nw, n));
    g.string(2, spec.graphName);
    for (const t of spec.initializers ?? []) g.message(5, (tw) => writeTensor(tw, t));
    for (const i of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, i));
    for (const o of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, o));
  });
  for (const o of spec.opsets) w.message(8, (ow) => ow.string(1, o.domain).int(2, o.version));
  for (const [key, value] of Object.entries(spec.metadata ?? {}))
    w.message(14, (mw) => mw.string(1, key).string(2, value));
  return w.finish();
}

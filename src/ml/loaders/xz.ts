import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// xz-decompress is CommonJS (a WebAssembly build of XZ Embedded, no native code).
const { XzReadableStream } = createRequire(import.meta.url)('xz-decompress') as {
  XzReadableStream: new (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;
};

/** A file's bytes, decompressed when its name ends in .xz (MIMII's feature table ships as pump_all.csv.xz). */
export async function readMaybeXz(file: string): Promise<Buffer> {
  const bytes = readFileSync(file);
  if (!file.endsWith('.xz')) return bytes;
  const stream = new XzReadableStream(new Blob([bytes]).stream());
  return Buffer.from(await new Response(stream).arrayBuffer());
}

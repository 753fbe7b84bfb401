import { isUtf8 } from 'node:buffer';

/**
 * Byte chunks → blocks of complete lines as strings, with memory bounded by
 * the chunk size plus `maxLineBytes` whatever the input: a line of many
 * megabytes is cut off at the limit and skipped (kept only as a short excerpt
 * for the rejects file). A UTF-8 BOM at the start is dropped; CR before LF is
 * left for the CSV reader to strip. Lines that are not valid UTF-8 or too long
 * stay in the block as a one-character placeholder ("\u0000") so line numbers
 * stay right; their problem is in `bad`, keyed by the line's index in the block.
 */
export interface LineBlock {
  /** Complete lines, each ending with "\n" (the last line of the input may lack it). */
  text: string;
  bad: Map<number, { raw: string; reason: string }>;
}

export const badLineMarker = '\u0000';
const rawExcerptBytes = 4096;

function excerpt(bytes: Buffer): string {
  return bytes.subarray(0, rawExcerptBytes).toString('utf8');
}

export async function* readLineBlocks(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<LineBlock> {
  let carry: Buffer | undefined;
  let skipping: { raw: string } | undefined;
  let first = true;
  for await (const piece of source) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const lastLf = chunk.lastIndexOf(10);
    if (lastLf < 0) {
      if (skipping) continue;
      const size = (carry?.length ?? 0) + chunk.length;
      if (size > maxLineBytes) {
        skipping = {
          raw: excerpt(
            carry ? Buffer.concat([carry.subarray(0, rawExcerptBytes), chunk.subarray(0, rawExcerptBytes)]) : chunk,
          ),
        };
        carry = undefined;
      } else {
        carry = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk); // copy: the source may reuse its buffer
      }
      continue;
    }
    let body = chunk.subarray(0, lastLf + 1);
    const rest = chunk.subarray(lastLf + 1);
    let prefix: LineBlock | undefined;
    if (skipping) {
      // The overlong line ends at the first LF of this chunk.
      const firstLf = chunk.indexOf(10);
      prefix = {
        text: badLineMarker + '\n',
        bad: new Map([[0, { raw: skipping.raw, reason: `line longer than ${maxLineBytes} bytes` }]]),
      };
      body = chunk.subarray(firstLf + 1, lastLf + 1);
      skipping = undefined;
    } else if (carry) {
      const firstLf = chunk.indexOf(10);
      if (carry.length + firstLf > maxLineBytes) {
        prefix = {
          text: badLineMarker + '\n',
          bad: new Map([[0, { raw: excerpt(carry), reason: `line longer than ${maxLineBytes} bytes` }]]),
        };
        body = chunk.subarray(firstLf + 1, lastLf + 1);
      } else {
        body = Buffer.concat([carry, body]);
      }
    }
    carry = rest.length > maxLineBytes ? undefined : rest.length ? Buffer.from(rest) : undefined;
    if (rest.length > maxLineBytes) skipping = { raw: excerpt(rest) };
    const block = decodeLines(body, maxLineBytes);
    yield prefix ? merge(prefix, block) : block;
  }
  if (skipping)
    yield {
      text: badLineMarker,
      bad: new Map([[0, { raw: skipping.raw, reason: `line longer than ${maxLineBytes} bytes` }]]),
    };
  else if (carry && carry.length) yield decodeLines(carry, maxLineBytes);
}

function merge(prefix: LineBlock, block: LineBlock): LineBlock {
  const bad = new Map(prefix.bad);
  for (const [i, v] of block.bad) bad.set(i + 1, v);
  return { text: prefix.text + block.text, bad };
}

/** Decodes complete lines; the fast path (all valid UTF-8) is one native check and one decode. */
function decodeLines(bytes: Buffer, maxLineBytes: number): LineBlock {
  const bad = new Map<number, { raw: string; reason: string }>();
  if (bytes.length <= maxLineBytes && isUtf8(bytes)) return { text: bytes.toString('utf8'), bad };
  const parts: string[] = [];
  let start = 0;
  let index = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    const hasLf = end >= 0;
    if (!hasLf) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (line.length > maxLineBytes) {
      bad.set(index, { raw: excerpt(line), reason: `line longer than ${maxLineBytes} bytes` });
      parts.push(badLineMarker);
    } else if (!isUtf8(line)) {
      bad.set(index, { raw: excerpt(line), reason: 'line is not valid UTF-8' });
      parts.push(badLineMarker);
    } else {
      parts.push(line.toString('utf8'));
    }
    if (hasLf) parts.push('\n');
    start = end + 1;
    index += 1;
  }
  return { text: parts.join(''), bad };
}

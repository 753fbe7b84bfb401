import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Where a path (as zod reports it) sits in the YAML text: the key's line and
 * column when the key exists, else the nearest existing parent, so an error
 * about a missing key points at the mapping that should hold it.
 */
export interface YamlPosition {
  line: number;
  col: number;
  /** False when the exact path was not in the document and a parent is reported. */
  exact: boolean;
}

export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): YamlPosition | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  let exact = true;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) {
        exact = false;
        break;
      }
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      exact = false;
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, col, exact };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

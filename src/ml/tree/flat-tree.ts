/**
 * A fitted decision tree as parallel typed arrays (the layout scikit-learn's
 * `tree_` uses and ONNX's TreeEnsemble* operators want): node i splits on
 * `feature[i]` at `threshold[i]`, rows with x <= threshold go to `left[i]`,
 * the rest to `right[i]`; a leaf has feature -1 and left = right = -1.
 * `value` holds `nOutputs` numbers per node: class fractions for a classifier,
 * the mean target for a regressor, the path length for an isolation tree.
 */
export interface FlatTree {
  nodeCount: number;
  nOutputs: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Distinct training rows that reached each node. */
  nSamples: Int32Array;
}

export const LEAF = -1;

/** Growable node storage used while a tree is built, trimmed by `finish()`. */
export class TreeStore {
  nodeCount = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  nSamples: Int32Array;

  constructor(
    readonly nOutputs: number,
    capacity: number,
  ) {
    const cap = Math.max(1, capacity);
    this.feature = new Int32Array(cap);
    this.threshold = new Float64Array(cap);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.value = new Float64Array(cap * nOutputs);
    this.nSamples = new Int32Array(cap);
  }

  /** Append a node as a leaf; `setSplit` turns it into a split later. Returns its id. */
  addNode(nSamples: number): number {
    if (this.nodeCount === this.feature.length) this.grow();
    const id = this.nodeCount++;
    this.feature[id] = LEAF;
    this.left[id] = LEAF;
    this.right[id] = LEAF;
    this.nSamples[id] = nSamples;
    return id;
  }

  setSplit(id: number, feature: number, threshold: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
  }

  private grow(): void {
    const cap = this.feature.length * 2;
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.feature = g32(this.feature);
    this.left = g32(this.left);
    this.right = g32(this.right);
    this.nSamples = g32(this.nSamples);
    const t = new Float64Array(cap);
    t.set(this.threshold);
    this.threshold = t;
    const v = new Float64Array(cap * this.nOutputs);
    v.set(this.value);
    this.value = v;
  }

  finish(): FlatTree {
    const n = this.nodeCount;
    return {
      nodeCount: n,
      nOutputs: this.nOutputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.nOutputs),
      nSamples: this.nSamples.slice(0, n),
    };
  }
}

/**
 * Leaf reached by row `r` of a column-major matrix `x` with `rows` rows.
 * `x` is the caller's Float64Array, or a Float32Array copy in float32 mode so
 * comparisons happen on float32-rounded features exactly as onnxruntime does.
 */
export function findLeaf(tree: FlatTree, x: Float64Array | Float32Array, rows: number, r: number): number {
  const { feature, threshold, left, right } = tree;
  let node = 0;
  let f = feature[0] as number;
  while (f !== LEAF) {
    node =
      (x[f * rows + r] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
    f = feature[node] as number;
  }
  return node;
}

/** Depth of every node (root 0), for isolation path lengths and reports. */
export function nodeDepths(tree: FlatTree): Int32Array {
  const depth = new Int32Array(tree.nodeCount);
  // Nodes are stored parent-before-child, so one forward pass suffices.
  for (let i = 0; i < tree.nodeCount; i++) {
    const l = tree.left[i] as number;
    if (l !== LEAF) {
      depth[l] = (depth[i] as number) + 1;
      depth[tree.right[i] as number] = (depth[i] as number) + 1;
    }
  }
  return depth;
}

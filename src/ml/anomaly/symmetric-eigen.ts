/**
 * Eigen-decomposition of a small symmetric matrix (a covariance of a few dozen
 * sensors) by cyclic Jacobi rotations: simple, and accurate to rounding for
 * the sizes PCA monitoring uses. Eigenvalues come back in decreasing order with
 * their eigenvectors as columns of `vectors` (row-major p × p), each signed so
 * its largest-magnitude entry is positive (a fixed sign: NumPy's is arbitrary).
 */
export interface SymmetricEigen {
  values: Float64Array;
  /** Row-major p × p: vectors[i * p + k] is entry i of eigenvector k. */
  vectors: Float64Array;
}

export function symmetricEigen(matrix: Float64Array, p: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j]! ** 2;
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j]! - a[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i]!;
          const akj = a[k * p + j]!;
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k]!;
          const ajk = a[j * p + k]!;
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]!;
          const vkj = v[k * p + j]!;
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, k) => k).sort((x, y) => a[y * p + y]! - a[x * p + x]!);
  const values = Float64Array.from(order, (k) => a[k * p + k]!);
  const vectors = new Float64Array(p * p);
  order.forEach((k, col) => {
    let big = 0;
    for (let i = 0; i < p; i++) if (Math.abs(v[i * p + k]!) > Math.abs(big)) big = v[i * p + k]!;
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < p; i++) vectors[i * p + col] = sign * v[i * p + k]!;
  });
  return { values, vectors };
}

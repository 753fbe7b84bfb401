import { inputError } from '../../errors.js';

/**
 * A dense feature matrix. Column-major because every tree learner here reads one
 * feature over many rows at a time (sorting, split scans); a row is then
 * `data[c * rows + r]` for c = 0..cols-1.
 */
export interface Matrix {
  rows: number;
  cols: number;
  /** Column-major: value of row r, column c at data[c * rows + r]. */
  data: Float64Array;
}

/** Build a column-major matrix from row arrays (the ml-random-forest input shape). */
export function matrixFromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
  const n = rows.length;
  const cols = n === 0 ? 0 : (rows[0] as ArrayLike<number>).length;
  const data = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    const row = rows[r] as ArrayLike<number>;
    if (row.length !== cols) throw inputError(`row ${r} has ${row.length} values, expected ${cols}`);
    for (let c = 0; c < cols; c++) data[c * n + r] = row[c] as number;
  }
  return { rows: n, cols, data };
}

/** Build a column-major matrix from one typed array per feature. */
export function matrixFromColumns(columns: ArrayLike<number>[]): Matrix {
  const cols = columns.length;
  const rows = cols === 0 ? 0 : (columns[0] as ArrayLike<number>).length;
  const data = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    const col = columns[c] as ArrayLike<number>;
    if (col.length !== rows) throw inputError(`column ${c} has ${col.length} values, expected ${rows}`);
    data.set(col, c * rows);
  }
  return { rows, cols, data };
}

/** Accept either a Matrix or row arrays, validating the shape of a Matrix. */
export function toMatrix(x: Matrix | ArrayLike<ArrayLike<number>>): Matrix {
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw inputError(`matrix data has ${x.data.length} values, expected rows*cols = ${x.rows * x.cols}`);
    }
    return x;
  }
  return matrixFromRows(x);
}

export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Matrix).data instanceof Float64Array &&
    typeof (x as Matrix).rows === 'number'
  );
}

/** Rows picked by index, keeping column-major layout. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const k = indices.length;
  const data = new Float64Array(k * m.cols);
  for (let c = 0; c < m.cols; c++) {
    const src = c * m.rows;
    const dst = c * k;
    for (let i = 0; i < k; i++) data[dst + i] = m.data[src + (indices[i] as number)] as number;
  }
  return { rows: k, cols: m.cols, data };
}

/** Row-major Float32 copy, the layout onnxruntime expects for a [rows, cols] tensor. */
export function toRowMajorFloat32(m: Matrix): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let c = 0; c < m.cols; c++) {
    const src = c * m.rows;
    for (let r = 0; r < m.rows; r++) out[r * m.cols + c] = m.data[src + r] as number;
  }
  return out;
}

/** Column-major matrix from a row-major buffer of shape [rows, cols]. */
export function fromRowMajor(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) throw inputError(`buffer has ${data.length} values, expected ${rows * cols}`);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return { rows, cols, data: out };
}

/** Reject NaN/Infinity up front: the split search and ONNX export assume finite values. */
export function assertFinite(m: Matrix, what = 'feature matrix'): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const c = Math.floor(i / m.rows);
      throw inputError(`${what} has a non-finite value at row ${i - c * m.rows}, column ${c}`, {
        hint: 'impute or drop missing values before training',
      });
    }
  }
}

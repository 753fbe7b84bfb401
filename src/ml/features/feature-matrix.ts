/**
 * The one shape every feature extractor returns: a dense table of doubles stored
 * column-major (column j occupies data[j*rows .. (j+1)*rows)), so a column is a
 * zero-copy `subarray` and tree learners can scan one feature at a time.
 */
export interface FeatureMatrix {
  featureNames: string[];
  rows: number;
  /** Column-major: value of row r, column j is data[j * rows + r]. */
  data: Float64Array;
}

/** Builds a matrix from equal-length columns (copied). */
export function matrixFromColumns(featureNames: string[], columns: ArrayLike<number>[]): FeatureMatrix {
  if (featureNames.length !== columns.length) {
    throw new RangeError(`matrixFromColumns: ${featureNames.length} names for ${columns.length} columns`);
  }
  const rows = columns[0]?.length ?? 0;
  const data = new Float64Array(rows * columns.length);
  columns.forEach((column, j) => {
    if (column.length !== rows) {
      throw new RangeError(`matrixFromColumns: column ${featureNames[j]} has ${column.length} rows, expected ${rows}`);
    }
    for (let r = 0; r < rows; r++) data[j * rows + r] = column[r] as number;
  });
  return { featureNames: [...featureNames], rows, data };
}

/** Column j as a view (no copy); writes go through to the matrix. */
export function column(matrix: FeatureMatrix, j: number): Float64Array {
  return matrix.data.subarray(j * matrix.rows, (j + 1) * matrix.rows);
}

/** Column by name; throws RangeError for an unknown name (a programming error, not bad input). */
export function columnByName(matrix: FeatureMatrix, name: string): Float64Array {
  const j = matrix.featureNames.indexOf(name);
  if (j < 0) throw new RangeError(`no feature named ${name}; have ${matrix.featureNames.join(', ')}`);
  return column(matrix, j);
}

/** One row copied out (row-major consumers such as ONNX or tfjs want this). */
export function row(matrix: FeatureMatrix, r: number): Float64Array {
  const out = new Float64Array(matrix.featureNames.length);
  for (let j = 0; j < out.length; j++) out[j] = matrix.data[j * matrix.rows + r] as number;
  return out;
}

/** Rows [start, end) as a new matrix. */
export function sliceRows(matrix: FeatureMatrix, start: number, end: number = matrix.rows): FeatureMatrix {
  const s = Math.max(0, Math.min(start, matrix.rows));
  const e = Math.max(s, Math.min(end, matrix.rows));
  const cols = matrix.featureNames.map((_, j) => column(matrix, j).subarray(s, e));
  return matrixFromColumns(matrix.featureNames, cols);
}

/** Side-by-side concatenation of matrices with the same row count. */
export function concatColumns(...matrices: FeatureMatrix[]): FeatureMatrix {
  const names: string[] = [];
  const cols: Float64Array[] = [];
  for (const m of matrices) {
    m.featureNames.forEach((name, j) => {
      names.push(name);
      cols.push(column(m, j));
    });
  }
  return matrixFromColumns(names, cols);
}

/** Row-major copy (rows × cols), the layout tfjs and onnxruntime take. */
export function toRowMajor(matrix: FeatureMatrix): Float64Array {
  const cols = matrix.featureNames.length;
  const out = new Float64Array(matrix.rows * cols);
  for (let j = 0; j < cols; j++) {
    for (let r = 0; r < matrix.rows; r++) out[r * cols + j] = matrix.data[j * matrix.rows + r] as number;
  }
  return out;
}

/** Index of the first row from which every column is finite (lags and rolling windows leave NaN at the start). */
export function firstCompleteRow(matrix: FeatureMatrix): number {
  let first = 0;
  for (let j = 0; j < matrix.featureNames.length; j++) {
    const col = column(matrix, j);
    for (let r = col.length - 1; r >= first; r--) {
      if (!Number.isFinite(col[r])) {
        first = r + 1;
        break;
      }
    }
  }
  return first;
}

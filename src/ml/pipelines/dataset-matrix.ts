import type { Matrix } from '../tree/matrix.js';
import { takeRows } from './features/dataset-ops.js';
import type { Dataset } from './types.js';

/** The rows of a dataset as a column-major matrix (the learners' input). */
export function datasetMatrix(ds: Dataset, rows: Int32Array): Matrix {
  return {
    rows: rows.length,
    cols: ds.featureNames.length,
    data: takeRows(ds.data, ds.rows, ds.featureNames.length, rows),
  };
}

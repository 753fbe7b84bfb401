import { readFileSync } from 'node:fs';
import { type Matrix, matrixFromColumns } from '../../../src/ml/tree/matrix.js';
import { sharedPath } from '../../helpers/shared.js';

/**
 * AI4I 2020 as scikit-learn's reference run used it: Type (L=0 M=1 H=2), air and
 * process temperature, speed, torque, tool wear, in the CSV's column order
 * (with it scikit-learn reproduces the reference macro-F1 0.8465 exactly),
 * target "Machine failure". The failure-mode columns TWF/HDF/PWF/OSF/RNF define
 * the target and are never read.
 */
export const AI4I_FEATURES = [
  'Type',
  'Air temperature [K]',
  'Process temperature [K]',
  'Rotational speed [rpm]',
  'Torque [Nm]',
  'Tool wear [min]',
] as const;

export function loadAi4i(): { x: Matrix; y: Float64Array } {
  const text = readFileSync(sharedPath('data', 'ai4i2020', 'ai4i2020.csv'), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`AI4I column ${name} missing`);
    return i;
  };
  const typeCode: Record<string, number> = { L: 0, M: 1, H: 2 };
  const n = lines.length - 1;
  const cols = AI4I_FEATURES.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const idx = AI4I_FEATURES.map(col);
  const target = col('Machine failure');
  for (let r = 0; r < n; r++) {
    const cells = (lines[r + 1] as string).split(',');
    AI4I_FEATURES.forEach((name, j) => {
      const cell = cells[idx[j] as number] as string;
      (cols[j] as Float64Array)[r] = name === 'Type' ? (typeCode[cell] as number) : Number(cell);
    });
    y[r] = Number(cells[target]);
  }
  return { x: matrixFromColumns(cols), y };
}

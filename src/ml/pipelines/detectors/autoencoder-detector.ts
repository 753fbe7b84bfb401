import { inputError } from '../../../errors.js';
import {
  disposeAutoencoder,
  fitAutoencoder,
  reconstructionErrors,
  saveAutoencoder,
  type Autoencoder,
} from '../../anomaly/autoencoder.js';
import type { Dataset } from '../types.js';
import type { Detector, DetectorSpec, FitInput } from './detector.js';
import { windowRows } from './window-rows.js';

type AutoencoderSpec = Extract<DetectorSpec, { kind: 'autoencoder' }>;

/** Standardised windows (window-major, then time, then feature) of the rows whose window is complete. */
function windowTensor(ds: Dataset, rows: Int32Array, window: number, scaler: Autoencoder['scaler']) {
  const { members, complete, count } = windowRows(ds, rows, window);
  const f = ds.featureNames.length;
  const out = new Float32Array(members.length * f);
  for (let i = 0; i < members.length; i++)
    for (let j = 0; j < f; j++)
      out[i * f + j] = (ds.data[j * ds.rows + members[i]!]! - scaler.mean[j]!) / scaler.std[j]!;
  return { windows: out, complete, count };
}

function fitScaler(ds: Dataset, fit: Int32Array): Autoencoder['scaler'] {
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < ds.featureNames.length; j++) {
    const values = Float64Array.from(fit, (r) => ds.data[j * ds.rows + r]!);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
    mean.push(m);
    std.push(sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { mean, std };
}

/**
 * Autoencoder over windows ending at each row: fitted on the windows that lie
 * entirely inside the fit rows (so no fitted window contains a calibration or
 * test row), scaled by the fit rows. Conv windows must be a multiple of 4 rows
 * (two stride-2 convolutions and two up-samplings).
 */
export async function fitAutoencoderDetector(spec: AutoencoderSpec, input: FitInput): Promise<Detector> {
  const p = spec.params;
  if (p.architecture === 'conv' && p.window % 4 !== 0)
    throw inputError(`a conv autoencoder needs a window that is a multiple of 4 rows, got ${p.window}`);
  const { ds, fit } = input;
  const scaler = fitScaler(ds, fit);
  // Only windows made of fit rows: their rows are fit rows' positions, ending at a fit row.
  const fitSet = new Set(fit);
  const { members, complete } = windowRows(ds, fit, p.window);
  const inside: number[] = [];
  let w = 0;
  fit.forEach((r, i) => {
    if (!complete[i]) return;
    const rows = members.subarray(w * p.window, (w + 1) * p.window);
    w++;
    if (rows.every((q) => fitSet.has(q))) inside.push(r);
  });
  const t = windowTensor(ds, Int32Array.from(inside), p.window, scaler);
  const ae = await fitAutoencoder(t.windows, t.count, { ...p, features: ds.featureNames.length }, scaler, input.signal);
  return {
    limit: null,
    async score(d, rows) {
      const s = windowTensor(d, rows, p.window, scaler);
      const errors = reconstructionErrors(ae, s.windows, s.count);
      const out = new Float64Array(rows.length).fill(NaN);
      let k = 0;
      s.complete.forEach((ok, i) => {
        if (ok) out[i] = errors[k++]!;
      });
      return out;
    },
    toJSON: () => saveAutoencoder(ae),
    dispose: () => disposeAutoencoder(ae),
  };
}

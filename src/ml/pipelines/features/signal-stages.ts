import { inputError } from '../../../errors.js';
import type { Stage } from '../../../pipeline/stage.js';
import type { FeatureStageSpec } from '../../../pipeline/schema.js';
import { mfccSummary } from '../../features/mfcc.js';
import { vibrationFeatures } from '../../features/vibration.js';
import type { Dataset, SignalSet } from '../types.js';
import { stackParts } from './dataset-ops.js';

type VibrationParams = Extract<FeatureStageSpec, { kind: 'vibration' }>;
type MfccParams = Extract<FeatureStageSpec, { kind: 'mfcc' }>;

const groupNames = (set: SignalSet) => set.signals.map((s) => s.name);
const labels = (label: number | null, rows: number) => (label === null ? null : new Float64Array(rows).fill(label));

/**
 * Vibration windows: time-domain indicators (RMS, kurtosis, crest factor, …)
 * and band energies / spectral centroid / dominant frequency per window of each
 * recording. Each recording is a group, so splits can keep its windows together;
 * a window's time is its start in milliseconds, for "latest share" holdouts.
 */
export const vibrationStage: Stage<VibrationParams, readonly [SignalSet], Dataset> = {
  kind: 'features.vibration',
  version: '1',
  async run(params, [set]) {
    const parts = set.signals.map((signal, g) => {
      const f = vibrationFeatures(signal.samples, {
        windowSize: params.windowSize,
        hop: params.hop ?? params.windowSize,
        sampleRate: signal.sampleRate,
        bands: params.bands,
      });
      return {
        names: f.featureNames,
        data: f.data,
        rows: f.rows,
        target: labels(signal.label, f.rows),
        group: g,
        time: Float64Array.from(f.windowStarts, (s) => (s / signal.sampleRate) * 1000),
      };
    });
    if (parts.every((p) => p.rows === 0))
      throw inputError(`vibration: every recording is shorter than one window of ${params.windowSize} samples`);
    return stackParts(parts[0]!.names, parts, { groupNames: groupNames(set), encoding: { ordinal: {} } });
  },
};

/**
 * MFCC summary statistics (Meyda): mean and std of each coefficient over the
 * frames of a clip, or of each `segmentSeconds` segment of it. Segments of one
 * clip share its group, so an evaluation that splits by group never tests on a
 * clip it trained on.
 */
export const mfccStage: Stage<MfccParams, readonly [SignalSet], Dataset> = {
  kind: 'features.mfcc',
  version: '1',
  async run(params, [set]) {
    let names: string[] = [];
    const parts = set.signals.map((signal, g) => {
      const seg = params.segmentSeconds ? Math.round(params.segmentSeconds * signal.sampleRate) : signal.samples.length;
      const count = Math.max(1, Math.floor(signal.samples.length / seg));
      const rowsOut: Float64Array[] = [];
      for (let s = 0; s < count; s++) {
        const piece = signal.samples.subarray(s * seg, Math.min(signal.samples.length, (s + 1) * seg));
        const summary = mfccSummary(piece, {
          sampleRate: signal.sampleRate,
          frameSize: params.frameSize,
          hop: params.hop,
          coefficients: params.coefficients,
          melBands: params.melBands,
          deltas: params.deltas,
          inputScale: params.inputScale,
        });
        names = summary.featureNames;
        rowsOut.push(summary.values);
      }
      const cols = rowsOut[0]!.length;
      const data = new Float64Array(count * cols);
      rowsOut.forEach((values, r) => values.forEach((v, j) => (data[j * count + r] = v)));
      return {
        data,
        rows: count,
        target: labels(signal.label, count),
        group: g,
        time: Float64Array.from({ length: count }, (_, s) => ((s * seg) / signal.sampleRate) * 1000),
      };
    });
    return stackParts(names, parts, { groupNames: groupNames(set), encoding: { ordinal: {} } });
  },
};

import { inputError } from '../../../errors.js';
import { PcaMonitor } from '../../anomaly/pca-monitor.js';
import { ExtendedIsolationForest } from '../../tree/extended-isolation-forest.js';
import { IsolationForest } from '../../tree/isolation-forest.js';
import { datasetMatrix } from '../dataset-matrix.js';
import type { Detector, DetectorSpec, FitInput } from './detector.js';

/** Row-wise detectors: a row's score depends on that row's features only. */
export function fitIsolationDetector(
  spec: Extract<DetectorSpec, { kind: 'isolation-forest' }>,
  { ds, fit }: FitInput,
): Detector {
  const { splits, ...params } = spec.params;
  if (splits === 'hyperplane') {
    const maxSamples = params.maxSamples === 'auto' || params.maxSamples >= 1 ? params.maxSamples : undefined;
    const extended = new ExtendedIsolationForest({
      ...params,
      ...(maxSamples !== undefined ? { maxSamples } : {}),
    }).train(datasetMatrix(ds, fit));
    return {
      limit: null,
      score: async (d, rows) => extended.scoreSamples(datasetMatrix(d, rows)).map((s) => -s),
      toJSON: () => extended.toJSON(),
      dispose: () => {},
    };
  }
  const forest = new IsolationForest({ ...params }).train(datasetMatrix(ds, fit));
  return {
    limit: null,
    score: async (d, rows) => forest.scoreSamples(datasetMatrix(d, rows)).map((s) => -s),
    toJSON: () => forest.toJSON(),
    dispose: () => {},
  };
}

export function fitPcaDetector(spec: Extract<DetectorSpec, { kind: 'pca-monitor' }>, input: FitInput): Detector {
  const monitor = PcaMonitor.fit(datasetMatrix(input.ds, input.fit), spec.params);
  if (spec.params.limits === 'empirical') {
    if (input.calibration.length === 0)
      throw inputError('pca-monitor with empirical limits needs calibration rows (split.calibrationRows)');
    monitor.setEmpiricalLimits(datasetMatrix(input.ds, input.calibration));
  }
  return pcaDetector(monitor);
}

export function pcaDetector(monitor: PcaMonitor): Detector {
  const { t2Limit, qLimit, options } = monitor.toJSON();
  return {
    limit: 1,
    score: async (d, rows) => monitor.score(datasetMatrix(d, rows)),
    toJSON: () => monitor.toJSON(),
    dispose: () => {},
    explain(d, rows) {
      const x = datasetMatrix(d, rows);
      const s = monitor.statistics(x);
      return Array.from(rows, (_, i) => {
        const c = monitor.contributions(x, i);
        const useQ = options.rule === 'q' || (options.rule === 't2-or-q' && s.q[i]! / qLimit > s.t2[i]! / t2Limit);
        return { statistic: useQ ? 'q' : 't2', values: Array.from(useQ ? c.q : c.t2) };
      });
    },
  };
}

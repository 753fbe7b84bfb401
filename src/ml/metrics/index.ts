/** Pure evaluation metrics over typed arrays, numerically matching scikit-learn where named. */
export {
  type ClassMetrics,
  type ClassificationReport,
  classificationReport,
  confusionMatrix,
  labelsOf,
  macroF1,
} from './classification-report.js';
export { averagePrecision, precisionAtK, precisionAtRate, rocAuc } from './ranking-metrics.js';
export {
  type MapeResult,
  type RegressionReport,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  r2Score,
  regressionReport,
  rootMeanSquaredError,
} from './regression-metrics.js';

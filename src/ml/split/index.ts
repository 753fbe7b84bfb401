/** Seeded train/test and cross-validation splits (row indices, ascending). */
export {
  type SplitOptions,
  type TrainTest,
  foldsFromAssignment,
  stratifiedKFold,
  stratifiedTrainTestSplit,
} from './stratified-split.js';
export { groupKFold, groupTrainTestSplit } from './group-split.js';
export { type TimeSplitOptions, timeSeriesSplit, timeTrainTestSplit } from './time-split.js';

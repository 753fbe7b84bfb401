import { z } from 'zod';

/**
 * The pipeline file (pipelines/*.yaml). Every object is strict, so a typo in a
 * key is an error at that key's line rather than a silently ignored setting.
 *
 * Glossary: a *source* reads data (a table of columns or a set of signals); a
 * *feature stage* turns it into a dataset (feature matrix + target + groups +
 * time) or transforms a dataset; the *split* chooses fit and test rows; the
 * *model* is fitted; *evaluation* scores its test predictions; *registration*
 * names the model version written to models/.
 */
const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (max 63)');
const columnName = z.string().min(1);
const positiveInt = z.number().int().min(1);
const fraction = z.number().gt(0).lt(1);

const fileEntry = z.strictObject({
  /** A path, `*`-glob in the file name part, with ${VAR:-default} expansion; relative to the working directory. */
  path: z.string().min(1),
  /** Label of every row or signal read from these files (e.g. 0 = normal, 1 = fault). */
  label: z.number().optional(),
  /** Constant columns added to every row read from these files (e.g. a label column the file lacks). */
  constants: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  /**
   * A header-less file with one value per line, line i for this file's i-th group (by `groupColumn`, in order of
   * first appearance), added to every row of that group as `column` (C-MAPSS RUL_FD001.txt: each test unit's
   * remaining life at its last cycle).
   */
  groupValues: z.strictObject({ column: columnName, path: z.string().min(1) }).optional(),
});

const csvSource = z.strictObject({
  kind: z.literal('csv'),
  files: z.array(fileEntry).min(1),
  /** One character, or `whitespace`: any run of spaces or tabs (C-MAPSS), leading and trailing blanks ignored. */
  delimiter: z.union([z.string().length(1), z.literal('whitespace')]).default(','),
  /** The files have no header row: these are their column names, in order (every row must have this many fields). */
  columns: z.array(columnName).min(1).optional(),
  /** A column of timestamps (ISO-8601; no zone = UTC) parsed into the dataset's time. */
  timeColumn: columnName.optional(),
  /** Split each file's rows into groups by this column's value (C-MAPSS: one group per engine unit). */
  groupColumn: columnName.optional(),
});
const ndjsonSource = z.strictObject({
  kind: z.literal('ndjson'),
  files: z.array(fileEntry).min(1),
  timeColumn: columnName.optional(),
});
const wavSource = z.strictObject({
  kind: z.literal('wav'),
  files: z.array(fileEntry).min(1),
  /** Channel to use from multi-channel clips (MIMII has 8); 'mix' averages them. */
  channel: z.union([z.number().int().min(0), z.literal('mix')]).default(0),
});
const matSource = z.strictObject({
  kind: z.literal('mat'),
  files: z.array(fileEntry).min(1),
  /** Variable to read, by the end of its name (CWRU: DE_time = drive-end accelerometer). */
  variable: z.string().min(1),
  sampleRate: z.number().positive(),
});
const sqlSource = z.strictObject({
  kind: z.literal('sql'),
  /** A read-only query over smx's tables (e.g. the sensor_hourly view). */
  query: z.string().min(1),
  /** Column whose value names the group of each row (e.g. sensor_id). */
  groupColumn: columnName.optional(),
  timeColumn: columnName.optional(),
  /** Fewer rows than this is an error (say what to load), not a model trained on nothing. */
  minRows: positiveInt.default(50),
});
const nabSource = z.strictObject({
  kind: z.literal('nab'),
  /** NAB data files (`timestamp,value`), one group each. */
  files: z.array(fileEntry).min(1),
  /** NAB's labels/combined_windows.json: rows inside a file's windows get label 1. */
  windows: z.string().min(1),
});
const bearingRunsSource = z.strictObject({
  kind: z.literal('bearing-runs'),
  runs: z
    .array(
      z.strictObject({
        /** IMS merged CSV (first, unnamed column the timestamp), or a glob of FEMTO header-less snapshot files. */
        path: z.string().min(1),
        format: z.enum(['ims-merged', 'femto-snapshots']),
        /** Group-name prefix of the run (default: the file name). */
        name: z.string().min(1).optional(),
        /** Channels (by name prefix, e.g. "Bearing 3") of the bearings that failed at the end; FEMTO: any entry marks the run failed. */
        failed: z.array(z.string().min(1)).default([]),
        /** FEMTO: the column of the acceleration to use (4 horizontal, 5 vertical). */
        channel: z.number().int().min(0).default(4),
      }),
    )
    .min(1),
});
export const sourceSchema = z.discriminatedUnion('kind', [
  bearingRunsSource,
  csvSource,
  ndjsonSource,
  wavSource,
  matSource,
  sqlSource,
  nabSource,
]);

const tabularStage = z.strictObject({
  kind: z.literal('tabular'),
  numeric: z.array(columnName).default([]),
  /** Categorical columns coded by a fixed map (AI4I Type: L=0, M=1, H=2); the map is stored for serving. */
  ordinal: z.record(z.string(), z.record(z.string(), z.number())).default({}),
  /** Numeric columns carried beside the features for the evaluation only (SKAB's changepoint labels); never features. */
  keep: z.array(columnName).optional(),
});
const windowStatsStage = z.strictObject({
  kind: z.literal('window-stats'),
  window: z.number().int().min(2),
  hop: positiveInt.default(1),
  /**
   * Window target from row targets: 0/1 if any row is positive, the newest row's (0/1), or the majority's;
   * `value`: the newest row's target unchanged (a numeric target such as remaining useful life).
   */
  label: z.enum(['any', 'last', 'majority', 'value']).default('last'),
  /**
   * Also make rows for the first cycles of each group, from its `minRows`-th row on, over the rows there are
   * (trailing windows shorter than `window`); absent: full windows only. With label `last` or `value`.
   */
  minRows: positiveInt.optional(),
});
const groupNormaliseStage = z.strictObject({
  kind: z.literal('group-normalise'),
  method: z.enum(['baseline', 'median-mad']),
  /** For `baseline`: leading rows of each group that define its mean and std. */
  rows: z.number().int().min(2).optional(),
});
const vibrationStage = z.strictObject({
  kind: z.literal('vibration'),
  windowSize: z.number().int().min(16),
  hop: positiveInt.optional(),
  bands: positiveInt.default(8),
});
const mfccStage = z.strictObject({
  kind: z.literal('mfcc'),
  /** Cut each clip into segments of this many seconds (one row each, grouped by clip); absent: one row per clip. */
  segmentSeconds: z.number().positive().optional(),
  frameSize: positiveInt.default(1024),
  hop: positiveInt.default(512),
  coefficients: positiveInt.default(13),
  melBands: positiveInt.default(40),
  deltas: z.boolean().default(false),
  inputScale: z.number().positive().default(1),
});
const lagStage = z.strictObject({
  kind: z.literal('lag'),
  column: columnName,
  lags: z.union([positiveInt, z.array(positiveInt).min(1)]),
  rolling: z.array(positiveInt).default([]),
  /** The target becomes the column's value this many rows ahead. */
  horizon: positiveInt.default(1),
});
const rulTargetStage = z.strictObject({
  kind: z.literal('rul-target'),
  /** The cycle (time step) column within each unit. */
  cycle: columnName,
  /** Upper bound of the training target (piecewise-linear RUL; C-MAPSS papers use 125). */
  cap: z.number().positive().default(125),
  /** Column holding each unit's remaining life at its last row (a test unit's truth); absent = run to failure. */
  endOfLife: columnName.optional(),
  /** Name of the target column added (and of `<column>_uncapped`, the truth scored against). */
  column: columnName.default('rul'),
});
const groupByStage = z.strictObject({
  kind: z.literal('group-by'),
  /** Columns whose values name each row's group (replacing the per-file groups). */
  columns: z.array(columnName).min(1),
});
const trailingMeanStage = z.strictObject({
  kind: z.literal('trailing-mean'),
  /** Mean of each column over the last `window` rows of its group, the row itself included (shorter at a group's start). */
  window: z.number().int().min(2),
  /** Keep the raw columns beside their means. */
  keepRaw: z.boolean().default(false),
});
export const featureStageSchema = z.discriminatedUnion('kind', [
  rulTargetStage,
  groupByStage,
  tabularStage,
  trailingMeanStage,
  windowStatsStage,
  groupNormaliseStage,
  vibrationStage,
  mfccStage,
  lagStage,
]);

export const splitSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('stratified'),
    testSize: fraction.default(0.2),
    seed: z.number().int().default(42),
  }),
  z.strictObject({ kind: z.literal('group'), testSize: fraction.default(0.3), seed: z.number().int().default(42) }),
  z.strictObject({
    kind: z.literal('group-kfold'),
    k: z.number().int().min(2),
    /** Rows before this position in their group are fitted on but not scored (e.g. they normalised the group). */
    scoreFrom: z.number().int().min(0).optional(),
  }),
  z.strictObject({ kind: z.literal('time'), testSize: fraction.default(0.2) }),
  z.strictObject({
    kind: z.literal('novelty'),
    /** Groups (glob on the group name) whose normal rows fit the detector; every other group is scored. */
    fitGroups: z.array(z.string().min(1)).min(1),
    /** Latest share of the fit groups' rows held out and scored with the rest (so the test set has normal rows). */
    holdout: z.number().min(0).lt(1).default(0),
    /**
     * Rows at these positions of every scored group are scored only to set the alarm threshold (`from` ≤ position <
     * `to`), never fitted and never in the test metrics; rows before `to` are not test rows either.
     */
    calibration: z.strictObject({ from: z.number().int().min(0), to: positiveInt }).optional(),
    /** Rows of a scored group before this position are not scored (e.g. they normalised the group). */
    scoreFrom: z.number().int().min(0).optional(),
    /** Scored groups (globs) whose labels may be looked at to choose settings; reported apart from the test groups. */
    validationGroups: z.array(z.string().min(1)).optional(),
  }),
  z.strictObject({
    kind: z.literal('per-group'),
    /** Each group's model is fitted on its first `fitRows` rows, in source order (SKAB: 400). */
    fitRows: z.number().int().min(2).default(400),
    /** The next rows of each group's known-normal start: scored to set the alarm threshold, never fitted. */
    calibrationRows: z.number().int().min(0).default(0),
    /** Groups (globs on the group name) whose labels may be looked at to choose settings; reported apart from the test groups. */
    validationGroups: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({
    kind: z.literal('groups'),
    /** Groups (glob on the group name, e.g. `*test_FD001.txt#*`) that form the test set; all others are fitted on. */
    test: z.array(z.string().min(1)).min(1),
    /**
     * Where model choices are made (`smx train --validate`): the fit groups only, in `folds` group folds; with
     * `truncate`, each validation unit is cut at a seeded random row, as the test units are.
     */
    validation: z
      .strictObject({
        folds: z.number().int().min(2).default(5),
        truncate: z.boolean().default(true),
        seed: z.number().int().default(0),
      })
      .optional(),
    /** `validation` scores the validation folds instead of the test groups (set by smx train --validate). */
    use: z.enum(['test', 'validation']).default('test'),
  }),
  z.strictObject({
    kind: z.literal('per-group-novelty'),
    /** Seeds: each draws its own partition of every group's clips (and seeds the detectors). */
    seeds: z.array(z.number().int()).min(1).default([0, 1, 2, 3, 4]),
    /** Share of each group's held-out clips (normal and abnormal alike) that is validation; the rest is the test. */
    validationShare: fraction.default(0.5),
    /** The target value of a normal row (MIMII's is_normal: 1). */
    normalLabel: z.number().default(0),
  }),
  z.strictObject({
    kind: z.literal('validation'),
    /** Groups (glob on the group name) on which label-tuned choices (settings, thresholds) are made; every other group is the test. */
    validationGroups: z.array(z.string().min(1)).min(1),
  }),
  z.strictObject({ kind: z.literal('none') }),
]);

const forestParams = {
  nEstimators: positiveInt.default(100),
  maxDepth: positiveInt.optional(),
  minSamplesLeaf: positiveInt.optional(),
  minSamplesSplit: z.number().int().min(2).optional(),
  maxFeatures: z.union([z.enum(['sqrt', 'log2', 'all']), z.number().positive()]).optional(),
  seed: z.number().int().default(0),
};

const detectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gmm'), components: positiveInt }),
  z.strictObject({ kind: z.literal('knn'), k: positiveInt }),
  z.strictObject({ kind: z.literal('isolation-forest'), nEstimators: positiveInt.default(100) }),
]);
export const modelSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('random-forest-classifier'),
    params: z
      .strictObject({ ...forestParams, classWeight: z.enum(['balanced', 'balanced_subsample']).optional() })
      .default({ nEstimators: 100, seed: 0 }),
  }),
  z.strictObject({
    kind: z.literal('random-forest-regressor'),
    params: z.strictObject(forestParams).default({ nEstimators: 100, seed: 0 }),
  }),
  z.strictObject({
    kind: z.literal('isolation-forest'),
    params: z
      .strictObject({
        nEstimators: positiveInt.default(100),
        maxSamples: z.union([z.literal('auto'), z.number().positive()]).default('auto'),
        seed: z.number().int().default(0),
        /** `hyperplane`: the extended isolation forest (random-hyperplane splits on standardised features; no ONNX export). */
        splits: z.enum(['axis', 'hyperplane']).optional(),
      })
      .default({ nEstimators: 100, maxSamples: 'auto', seed: 0 }),
  }),
  z.strictObject({
    kind: z.literal('statistical-forecaster'),
    /** The dataset column to forecast. */
    column: columnName,
    params: z
      .strictObject({
        /** One method, or `auto`: each fitted before the validation part and the best on it refitted. */
        method: z.enum(['mean', 'moving-average', 'ar', 'ses', 'holt', 'holt-winters', 'auto']).default('auto'),
        /** Last share of the training part on which k, p (and `auto`'s method) are chosen. */
        validationFraction: fraction.default(0.2),
        arOrders: z.array(positiveInt).min(1).optional(),
        windows: z.array(positiveInt).min(1).optional(),
      })
      .default({ method: 'auto', validationFraction: 0.2 }),
  }),
  z.strictObject({
    kind: z.literal('pca-monitor'),
    params: z
      .strictObject({
        /** Principal components kept: a count, or the share of variance to explain (0 < v < 1, as scikit-learn's PCA). */
        components: z.union([positiveInt, fraction]).default(0.85),
        /** Control limits: theoretical (F for T², Jackson–Mudholkar for Q) or the empirical quantile of the calibration rows. */
        limits: z.enum(['theoretical', 'empirical']).default('theoretical'),
        /** T² limit distribution when limits are theoretical: F (finite-sample, as SKAB's T²) or χ². */
        t2Distribution: z.enum(['f', 'chi2']).default('f'),
        /** False-alarm probability of each limit. */
        alpha: fraction.default(0.001),
        /** Which statistics raise an alarm: either one (T²-or-Q), T² only or Q only. */
        rule: z.enum(['t2-or-q', 't2', 'q']).default('t2-or-q'),
      })
      .default({ components: 0.85, limits: 'theoretical', t2Distribution: 'f', alpha: 0.001, rule: 't2-or-q' }),
  }),
  z.strictObject({
    kind: z.literal('autoencoder'),
    params: z
      .strictObject({
        /** dense: rows (or flattened windows) through a bottleneck; conv: 1-D convolutions over windows (SKAB's Conv-AE). */
        architecture: z.enum(['dense', 'conv']).default('conv'),
        /** Rows per window (the score of a row is the error of the window ending at it); 1 = single rows (dense only). */
        window: positiveInt.default(60),
        /** Dense: hidden layer widths down to the bottleneck (mirrored back). Conv: filters of the two encoder layers. */
        hidden: z.array(positiveInt).min(1).default([32, 16]),
        kernelSize: positiveInt.default(7),
        dropout: z.number().min(0).lt(1).default(0.2),
        learningRate: z.number().positive().default(0.001),
        maxEpochs: positiveInt.default(100),
        batchSize: positiveInt.default(32),
        /** Early stopping: epochs without a better validation loss. */
        patience: positiveInt.default(5),
        /** Latest share of the fit windows kept out of training for early stopping. */
        validationShare: fraction.default(0.1),
        seed: z.number().int().default(0),
      })
      .default({
        architecture: 'conv',
        window: 60,
        hidden: [32, 16],
        kernelSize: 7,
        dropout: 0.2,
        learningRate: 0.001,
        maxEpochs: 100,
        batchSize: 32,
        patience: 5,
        validationShare: 0.1,
        seed: 0,
      }),
  }),
  z.strictObject({
    kind: z.literal('mlp-forecaster'),
    /** The dataset column to forecast. */
    column: columnName,
    params: z
      .strictObject({
        lags: positiveInt.default(24),
        hidden: z.array(positiveInt).default([32]),
        learningRate: z.number().positive().default(0.005),
        maxEpochs: positiveInt.default(60),
        batchSize: positiveInt.default(32),
        patience: positiveInt.default(8),
        seed: z.number().int().default(42),
      })
      .default({ lags: 24, hidden: [32], learningRate: 0.005, maxEpochs: 60, batchSize: 32, patience: 8, seed: 42 }),
  }),
  z.strictObject({
    kind: z.literal('health-alarm'),
    params: z
      .strictObject({
        /** Leading snapshots of each bearing that fit its healthy level. */
        fitRows: positiveInt.default(50),
        /** The next snapshots, not fitted, that set the threshold. */
        calibrationRows: positiveInt.default(50),
        /** Quantile of the calibration snapshots' standardised indicator used as the threshold. */
        quantile: z.number().gt(0).max(1).default(1),
        /** Snapshots in a row above (below) the threshold to raise (clear) an alarm. */
        persistence: positiveInt.default(3),
        /** `siblings`: divide by the median of the same run's other channels first (rejects machine-wide changes). */
        reference: z.enum(['none', 'siblings']).default('none'),
      })
      .default({ fitRows: 50, calibrationRows: 50, quantile: 1, persistence: 3, reference: 'none' }),
  }),
  z.strictObject({
    kind: z.literal('group-novelty'),
    params: z.strictObject({
      /** Candidate detectors, each fitted per group on normal rows; the best mean validation ROC-AUC is kept (first on ties). */
      detectors: z.array(detectorSchema).min(1),
      /** `log`: log(|x|) before standardising (energy-like audio features span decades). */
      transform: z.enum(['log', 'none']).default('none'),
    }),
  }),
  z.strictObject({
    kind: z.literal('stream-novelty'),
    /** Candidate settings, tried in this order on the validation groups (the first best wins). */
    params: z
      .strictObject({
        /** Sets of subsequence lengths (rows) of the left matrix profile. */
        lengths: z.array(z.array(z.number().int().min(2)).min(1)).min(1),
        /** Trailing rows whose median distance calibrates the score. */
        calibrationRows: z.array(z.number().int().min(30)).min(1),
        /** Rows after an alarm during which no new alarm is raised. */
        holdRows: z.array(z.number().int().min(0)).min(1),
      })
      .default({ lengths: [[12]], calibrationRows: [200], holdRows: [50] }),
  }),
]);

/**
 * Alarm thresholds. `calibrated`: the (1 − targetFar) quantile of the scores of
 * calibration rows (normal rows the model was not fitted on), per group when
 * each group has its own model; `fit-quantile`: a quantile of the fitted rows'
 * scores, as SKAB's notebooks do (Conv-AE: 4/3 × the 0.999 quantile); `model-limit`:
 * the model's own control limit (PCA: the T²/Q limits). `margin` multiplies it.
 */
export const thresholdSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('calibrated'),
    targetFar: fraction.default(0.01),
    margin: z.number().positive().default(1),
  }),
  z.strictObject({
    rule: z.literal('fit-quantile'),
    quantile: fraction.default(0.99),
    margin: z.number().positive().default(1),
  }),
  z.strictObject({ rule: z.literal('model-limit'), margin: z.number().positive().default(1) }),
]);

const referenceSchema = z.strictObject({
  /** Where the figures come from, e.g. "scikit-learn 1.2.1, ../shared/reference/sklearn_ai4i.json". */
  source: z.string().min(1),
  metrics: z.record(z.string(), z.number()),
});

export const evaluationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('classification'),
    threshold: fraction.default(0.5),
    /** Also fit the same classifier on the row's position in its group alone, same folds (a trivial baseline). */
    positionBaseline: z.boolean().optional(),
    reference: referenceSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('anomaly'),
    /** Alarm threshold without `threshold`: this quantile of the fit rows' scores (0.99 as in the SKAB reference). */
    thresholdQuantile: fraction.default(0.99),
    /** How the alarm threshold is set (src/ml/anomaly/alarm-threshold.ts); absent: `thresholdQuantile` of the fit rows. */
    threshold: thresholdSchema.optional(),
    /** An alarm is raised only after this many consecutive rows of a group over the threshold (1 = every row). */
    persistence: positiveInt.default(1),
    /** SKAB changepoint score: NAB scoring of the alarms' onsets, `window` seconds after each labelled changepoint. */
    changepoints: z.strictObject({ column: columnName, windowSeconds: z.number().positive().default(60) }).optional(),
    /** Seed of the random baseline. */
    seed: z.number().int().default(0),
    reference: referenceSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('regression'), reference: referenceSchema.optional() }),
  /** Remaining useful life: one prediction per test unit at its last row, RMSE and the NASA score against the truth. */
  z.strictObject({ kind: z.literal('rul'), reference: referenceSchema.optional() }),
  z.strictObject({
    kind: z.literal('group-novelty'),
    /** The alarm threshold per group: this quantile of the validation normals' scores (never the fitted rows'). */
    targetFalseAlarmRate: fraction.default(0.05),
    /** pAUC's false-positive-rate limit (DCASE: 0.1). */
    maxFpr: fraction.default(0.1),
    reference: referenceSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('run-to-failure'), reference: referenceSchema.optional() }),
  z.strictObject({
    kind: z.literal('nab'),
    /** Share of each file's first rows that NAB never scores (probation: min(share × rows, share × 5000)). */
    probationShare: fraction.default(0.15),
    /** Seeds of the random-score baseline. */
    seeds: z.array(z.number().int()).min(1).default([0, 1, 2, 3, 4]),
    reference: referenceSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('forecast'), season: positiveInt, reference: referenceSchema.optional() }),
]);

export const domains = ['tabular', 'bearing', 'audio', 'pump', 'forecast', 'process', 'engine'] as const;

/**
 * Which sensors' drift should retrain this model (`smx retrain --watch`):
 * `all` (a model over every sensor's data), or sensor ids and/or a sensor type.
 * Recorded as the registry tag `watches` so the retrain planner reads it from
 * registry.json without re-parsing pipelines.
 */
export const watchesSchema = z.union([
  z.literal('all'),
  z
    .strictObject({ sensors: z.array(z.string().min(1)).min(1).optional(), sensorType: z.string().min(1).optional() })
    .refine(
      (w) => w.sensors !== undefined || w.sensorType !== undefined,
      'name sensors (ids) and/or a sensorType, or write `watches: all`',
    ),
]);

export const pipelineSchema = z.strictObject({
  name,
  description: z.string().min(1),
  watches: watchesSchema.optional(),
  /**
   * Evaluate over several seeds: a count N (seeds 0…N−1) or a list. Each run
   * sets every `seed` param of the split, features, model and evaluation to
   * its seed; the headline is the mean ± sd and the registered version is the
   * seed nearest the mean (src/ml/pipelines/seed-runs.ts).
   */
  seeds: z
    .union([
      z.number().int().min(1).max(100),
      z
        .array(z.number().int().min(0))
        .min(1)
        .max(100)
        .refine((s) => new Set(s).size === s.length, 'seeds must be different'),
    ])
    .optional(),
  source: sourceSchema,
  target: z
    .strictObject({
      /** The label or value column; for WAV and MAT sources the files' labels are the target and this is omitted. */
      column: columnName.optional(),
      /** Columns that reveal the target (AI4I's failure modes): they may never appear among the features. */
      leakage: z.array(columnName).default([]),
    })
    .default({ leakage: [] }),
  features: z.array(featureStageSchema).min(1),
  split: splitSchema,
  model: modelSchema,
  evaluation: evaluationSchema,
  registration: z.strictObject({
    name,
    domain: z.enum(domains),
    /** Claims to set beside the measured figures in the model card (e.g. the seed's README). */
    claims: z.record(z.string(), z.string()).default({}),
  }),
});

export type PipelineSpec = z.infer<typeof pipelineSchema>;
export type SourceSpec = z.infer<typeof sourceSchema>;
export type FeatureStageSpec = z.infer<typeof featureStageSchema>;
export type SplitSpec = z.infer<typeof splitSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
export type EvaluationSpec = z.infer<typeof evaluationSchema>;
export type ThresholdSpec = z.infer<typeof thresholdSchema>;
export type Domain = (typeof domains)[number];
export type WatchesSpec = z.infer<typeof watchesSchema>;

import type { PipelineSpec } from './schema.js';
import { seedPaths } from './seeds.js';

/**
 * Checks zod cannot express one field at a time: declared leakage, the order of
 * stages (each must accept what the previous one produces), and a model that
 * fits its evaluation. Each problem names the path it is about, so the loader
 * can point at the line.
 */
export interface SpecProblem {
  path: (string | number)[];
  message: string;
}

type Shape = 'table' | 'signals' | 'dataset';

const accepts: Record<PipelineSpec['features'][number]['kind'], Shape> = {
  'rul-target': 'table',
  'group-by': 'table',
  tabular: 'table',
  'trailing-mean': 'dataset',
  'window-stats': 'dataset',
  'group-normalise': 'dataset',
  lag: 'dataset',
  vibration: 'signals',
  mfcc: 'signals',
};

/** What each stage hands on: a table stays a table through rul-target (it adds the target columns) and group-by. */
const produces = (kind: PipelineSpec['features'][number]['kind'], input: Shape): Shape =>
  kind === 'rul-target' || kind === 'group-by' ? input : 'dataset';

const evaluationFor: Record<PipelineSpec['model']['kind'], PipelineSpec['evaluation']['kind'][]> = {
  'random-forest-classifier': ['classification'],
  'random-forest-regressor': ['regression', 'rul'],
  'isolation-forest': ['anomaly'],
  'pca-monitor': ['anomaly'],
  autoencoder: ['anomaly'],
  'mlp-forecaster': ['forecast'],
  'statistical-forecaster': ['forecast'],
  'stream-novelty': ['nab'],
  'group-novelty': ['group-novelty'],
  'health-alarm': ['run-to-failure'],
};

/**
 * Target leakage: the target or a declared leakage column named as a feature.
 * Reads the document loosely (it may not have passed the schema), so a file
 * with a typo elsewhere still gets its leakage reported in the same run.
 */
export function leakageProblems(raw: unknown): SpecProblem[] {
  const doc = isRecord(raw) ? raw : {};
  const target = isRecord(doc.target) ? doc.target : {};
  const forbidden = new Map<string, string>();
  if (Array.isArray(target.leakage))
    for (const column of target.leakage)
      if (typeof column === 'string') forbidden.set(column, 'declared in target.leakage');
  if (typeof target.column === 'string') forbidden.set(target.column, 'the target');
  const problems: SpecProblem[] = [];
  const features = Array.isArray(doc.features) ? doc.features : [];
  for (const stage of features) {
    if (!isRecord(stage) || stage.kind !== 'rul-target') continue;
    const column = typeof stage.column === 'string' ? stage.column : 'rul';
    forbidden.set(column, 'the remaining-life target');
    forbidden.set(`${column}_uncapped`, 'the uncapped remaining life');
    if (typeof stage.endOfLife === 'string') forbidden.set(stage.endOfLife, "each unit's remaining life at its end");
  }
  features.forEach((stage: unknown, i) => {
    if (!isRecord(stage)) return;
    if (stage.kind === 'tabular') {
      if (Array.isArray(stage.numeric)) {
        stage.numeric.forEach((column: unknown, j) => {
          const why = typeof column === 'string' ? forbidden.get(column) : undefined;
          if (why)
            problems.push({
              path: ['features', i, 'numeric', j],
              message: `column ${JSON.stringify(column)} is ${why}: it may not be a feature (target leakage)`,
            });
        });
      }
      if (isRecord(stage.ordinal)) {
        for (const column of Object.keys(stage.ordinal)) {
          const why = forbidden.get(column);
          if (why)
            problems.push({
              path: ['features', i, 'ordinal', column],
              message: `column ${JSON.stringify(column)} is ${why}: it may not be a feature (target leakage)`,
            });
        }
      }
    }
    if (
      stage.kind === 'lag' &&
      typeof stage.column === 'string' &&
      Array.isArray(target.leakage) &&
      target.leakage.includes(stage.column)
    ) {
      problems.push({
        path: ['features', i, 'column'],
        message: `column ${JSON.stringify(stage.column)} is declared in target.leakage`,
      });
    }
  });
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkPipeline(spec: PipelineSpec): SpecProblem[] {
  const problems: SpecProblem[] = [...leakageProblems(spec), ...csvLayoutProblems(spec.source)];

  let shape = (spec.source.kind === 'wav' || spec.source.kind === 'mat' ? 'signals' : 'table') as Shape;
  spec.features.forEach((stage, i) => {
    if (accepts[stage.kind] !== shape) {
      problems.push({
        path: ['features', i, 'kind'],
        message: `stage ${stage.kind} takes ${accepts[stage.kind] === 'dataset' ? 'a dataset from an earlier feature stage' : `a ${accepts[stage.kind]} source`}, but gets ${shape === 'dataset' ? 'a dataset' : `the ${shape} of a ${spec.source.kind} source`}`,
      });
    }
    shape = produces(stage.kind, shape);
    if (stage.kind === 'window-stats' && stage.minRows !== undefined) {
      if (stage.minRows > stage.window)
        problems.push({
          path: ['features', i, 'minRows'],
          message: `minRows must be at most window (${stage.window})`,
        });
      if (stage.label === 'any' || stage.label === 'majority')
        problems.push({
          path: ['features', i, 'label'],
          message: `minRows (shorter windows at a group's start) works with label last or value, not ${stage.label}`,
        });
    }
    if (stage.kind === 'rul-target' && spec.target.column !== stage.column) {
      problems.push({
        path: ['target', 'column'],
        message: `the rul-target stage adds the target ${JSON.stringify(stage.column)}: set target.column to it`,
      });
    }
    if (stage.kind === 'tabular') {
      if (stage.numeric.length + Object.keys(stage.ordinal).length === 0) {
        problems.push({
          path: ['features', i],
          message:
            'a tabular stage must name its columns (numeric and/or ordinal): features are never taken implicitly',
        });
      }
    }
    if (stage.kind === 'group-normalise' && stage.method === 'baseline' && stage.rows === undefined) {
      problems.push({
        path: ['features', i, 'rows'],
        message: 'baseline normalisation needs `rows` (how many leading rows of each group define it)',
      });
    }
  });

  if (shape !== 'dataset')
    problems.push({ path: ['features'], message: 'the feature stages must end in a dataset (add a tabular stage)' });
  const wanted = evaluationFor[spec.model.kind];
  if (!wanted.includes(spec.evaluation.kind)) {
    problems.push({
      path: ['evaluation', 'kind'],
      message: `a ${spec.model.kind} is evaluated with kind ${wanted.join(' or ')}, not ${spec.evaluation.kind}`,
    });
  }
  const hasRul = spec.features.some((s) => s.kind === 'rul-target');
  if (spec.evaluation.kind === 'rul' && !hasRul)
    problems.push({
      path: ['evaluation', 'kind'],
      message: 'a rul evaluation needs a rul-target feature stage (the remaining life per unit)',
    });
  if (spec.split.kind === 'groups' && spec.split.use === 'validation' && !spec.split.validation)
    problems.push({ path: ['split', 'use'], message: '`use: validation` needs a `validation` block (folds, seed)' });
  const supervised = spec.model.kind === 'random-forest-classifier' || spec.model.kind === 'random-forest-regressor';
  const labelledSource = spec.source.kind === 'wav' || spec.source.kind === 'mat';
  const hasLag = spec.features.some((s) => s.kind === 'lag');
  if (supervised && !labelledSource && !spec.target.column && !hasLag) {
    problems.push({ path: ['target'], message: `a ${spec.model.kind} needs target.column` });
  }
  if (
    (spec.model.kind === 'mlp-forecaster' || spec.model.kind === 'statistical-forecaster') &&
    spec.split.kind !== 'time'
  ) {
    problems.push({
      path: ['split', 'kind'],
      message: 'a forecaster is evaluated on a time split (kind: time): a random split would train on the future',
    });
  }
  problems.push(...anomalyProtocolProblems(spec));
  if ((spec.model.kind === 'group-novelty') !== (spec.split.kind === 'per-group-novelty')) {
    problems.push({
      path: ['split', 'kind'],
      message: 'a group-novelty detector goes with split kind per-group-novelty (one model per group), and only it',
    });
  }
  if (spec.model.kind === 'stream-novelty' && spec.split.kind !== 'validation') {
    problems.push({
      path: ['split', 'kind'],
      message: 'a stream-novelty detector is tuned on labelled validation groups: use split kind validation',
    });
  }
  if (spec.split.kind === 'stratified' && spec.model.kind !== 'random-forest-classifier') {
    problems.push({
      path: ['split', 'kind'],
      message: 'a stratified split needs class labels: use it with a classifier',
    });
  }
  if (spec.seeds !== undefined && seedPaths(spec).length === 0) {
    problems.push({
      path: ['seeds'],
      message:
        'nothing in this pipeline takes a seed (no `seed` in split, features, model or evaluation): every run would be the same',
    });
  }
  return problems;
}

/**
 * A header-less CSV source names its columns in the pipeline: each name once,
 * and the time and group columns among them (or among a file's constants), so
 * a typo is reported at its line instead of as a missing column mid-run.
 */
function csvLayoutProblems(source: PipelineSpec['source']): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if ('files' in source)
    source.files.forEach((f, i) => {
      if (f.groupValues && (source.kind !== 'csv' || source.groupColumn === undefined))
        problems.push({
          path: ['source', 'files', i, 'groupValues'],
          message: 'groupValues needs a csv source with a groupColumn (one value per group of the file)',
        });
    });
  if (source.kind !== 'csv' || source.columns === undefined) return problems;
  const seen = new Set<string>();
  source.columns.forEach((column, i) => {
    if (seen.has(column))
      problems.push({ path: ['source', 'columns', i], message: `column ${JSON.stringify(column)} is named twice` });
    seen.add(column);
  });
  for (const key of ['timeColumn', 'groupColumn'] as const) {
    const column = source[key];
    if (column === undefined || seen.has(column)) continue;
    if (source.files.every((f) => f.constants !== undefined && column in f.constants)) continue;
    problems.push({
      path: ['source', key],
      message: `${JSON.stringify(column)} is not among the declared columns (${source.columns.join(', ')})`,
    });
  }
  return problems;
}

/** Thresholds and splits of detectors: a rule must have the rows it reads. */
function anomalyProtocolProblems(spec: PipelineSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const detector = evaluationFor[spec.model.kind].includes('anomaly');
  if (spec.split.kind === 'per-group' && !detector)
    problems.push({
      path: ['split', 'kind'],
      message: `a per-group split fits one detector per group; ${spec.model.kind} is not a detector`,
    });
  if (spec.evaluation.kind !== 'anomaly') return problems;
  const threshold = spec.evaluation.threshold;
  const calibrationRows =
    spec.split.kind === 'per-group'
      ? spec.split.calibrationRows
      : spec.split.kind === 'novelty' && spec.split.calibration
        ? spec.split.calibration.to - spec.split.calibration.from
        : 0;
  if (threshold?.rule === 'calibrated' && calibrationRows <= 0)
    problems.push({
      path: ['evaluation', 'threshold', 'rule'],
      message:
        'a calibrated threshold needs calibration rows the model is not fitted on: set split.calibrationRows (per-group) or split.calibration (novelty)',
    });
  if (threshold?.rule === 'calibrated' && calibrationRows > 0 && calibrationRows * threshold.targetFar < 1)
    problems.push({
      path: ['evaluation', 'threshold', 'targetFar'],
      message: `${calibrationRows} calibration rows cannot resolve a false-alarm rate of ${threshold.targetFar}: use at least ${Math.ceil(1 / threshold.targetFar)} rows or a larger targetFar`,
    });
  if (threshold?.rule === 'model-limit' && spec.model.kind !== 'pca-monitor')
    problems.push({
      path: ['evaluation', 'threshold', 'rule'],
      message: `${spec.model.kind} has no control limit of its own: use calibrated or fit-quantile`,
    });
  if (
    spec.split.kind === 'novelty' &&
    spec.split.calibration &&
    spec.split.calibration.to <= spec.split.calibration.from
  )
    problems.push({ path: ['split', 'calibration', 'to'], message: 'calibration.to must be after calibration.from' });
  return problems;
}

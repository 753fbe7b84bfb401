import type { PipelineSpec } from '../../pipeline/schema.js';
import type { SourceStage, Stage, StageNode } from '../../pipeline/stage.js';
import { evaluateStage, evaluationKindVersions } from './evaluate-stage.js';
import { groupByStage } from './features/group-by-stage.js';
import { mfccStage, vibrationStage } from './features/signal-stages.js';
import { rulTargetStage, uncappedColumn } from './features/rul-target-stage.js';
import { tabularStage } from './features/tabular-stage.js';
import { groupNormaliseStage, lagStage, trailingMeanStage, windowStatsStage } from './features/window-stages.js';
import { modelKindVersions, modelStage } from './model-stage.js';
import { csvSource, matSource, ndjsonSource, wavSource } from './sources/file-sources.js';
import { bearingRunsSource } from './sources/bearing-runs-source.js';
import { nabSource } from './sources/nab-source.js';
import { sqlSource } from './sources/sql-source.js';
import { splitStage } from './split-stage.js';

/**
 * The stage graph of a pipeline: source → features… → split → model →
 * evaluation. Node ids are stable (`source`, `features.0`, …) and used in
 * reports. Each node's params are exactly what its stage reads, so changing
 * an unrelated key (the description, the registration) invalidates nothing.
 */
export const sourceStages: Record<PipelineSpec['source']['kind'], SourceStage<never, unknown>> = {
  csv: csvSource,
  ndjson: ndjsonSource,
  wav: wavSource,
  mat: matSource,
  sql: sqlSource,
  nab: nabSource,
  'bearing-runs': bearingRunsSource,
};

export const featureStages: Record<PipelineSpec['features'][number]['kind'], Stage<never, never, unknown>> = {
  'rul-target': rulTargetStage,
  'group-by': groupByStage,
  tabular: tabularStage,
  'trailing-mean': trailingMeanStage,
  'window-stats': windowStatsStage,
  'group-normalise': groupNormaliseStage,
  lag: lagStage,
  vibration: vibrationStage,
  mfcc: mfccStage,
};

function node(id: string, stage: Stage<never, never, unknown>, params: unknown, inputs: string[]): StageNode {
  return {
    id,
    kind: stage.kind,
    version: stage.version,
    params,
    inputs,
    run: (values, context) => stage.run(params as never, values as never, context),
  };
}

export function buildStages(spec: PipelineSpec): StageNode[] {
  const source = sourceStages[spec.source.kind];
  const sourceParams = spec.source as never;
  const nodes: StageNode[] = [
    {
      id: 'source',
      kind: source.kind,
      version: source.version,
      params: spec.source,
      inputs: [],
      run: (_values, context) => source.run(sourceParams, [], context),
      fingerprint: (context) => source.fingerprint(sourceParams, context),
      runWith: (fp, context) => source.runWith(sourceParams, fp, context),
    },
  ];
  let previous = 'source';
  // A remaining-useful-life target is capped; its uncapped twin is what the evaluation scores against.
  const rul = spec.features.find((f) => f.kind === 'rul-target');
  const truth = rul ? { truth: uncappedColumn(rul.column) } : {};
  spec.features.forEach((f, i) => {
    const params = f.kind === 'tabular' ? { ...f, target: spec.target.column, ...truth } : f;
    nodes.push(node(`features.${i}`, featureStages[f.kind], params, [previous]));
    previous = `features.${i}`;
  });
  const dataset = previous;
  nodes.push(node('split', splitStage, spec.split, [dataset]));
  const modelParams =
    spec.evaluation.kind === 'forecast'
      ? { ...spec.model, season: spec.evaluation.season }
      : spec.evaluation.kind === 'nab'
        ? { ...spec.model, probationShare: spec.evaluation.probationShare }
        : spec.model;
  nodes.push({
    ...node('model', modelStage, modelParams, [dataset, 'split']),
    version: modelKindVersions[spec.model.kind],
  });
  const evaluationParams =
    spec.evaluation.kind === 'classification' && spec.evaluation.positionBaseline
      ? { ...spec.evaluation, model: spec.model }
      : spec.evaluation;
  nodes.push({
    ...node('evaluation', evaluateStage, evaluationParams, [dataset, 'split', 'model']),
    version: evaluationKindVersions[spec.evaluation.kind],
  });
  return nodes;
}

/** Id of the node whose output is the final dataset (the model's input). */
export function datasetNodeId(spec: PipelineSpec): string {
  return `features.${spec.features.length - 1}`;
}

import { usageError } from '../../errors.js';
import { type FlatTree, LEAF } from '../tree/flat-tree.js';
import { IsolationForest } from '../tree/isolation-forest.js';
import { averagePathLength } from '../tree/isolation-tree.js';
import { RandomForestClassifier } from '../tree/random-forest-classifier.js';
import { RandomForestRegressor } from '../tree/random-forest-regressor.js';
import { type OnnxAttribute, type OnnxNode, ElemType, attr, encodeModel } from './onnx-model.js';
import { floorToFloat32 } from './threshold-float32.js';

/**
 * Export of smx forests to ONNX with the ai.onnx.ml tree operators (domain
 * opset 3, default opset 17), runnable by onnxruntime(-node). Every model takes
 * one float input `input` of shape [N, nFeatures] and produces:
 *   classifier  → `label` int64 [N] and `probabilities` float [N, classes] (no ZipMap)
 *   regressor   → `variable` float [N, 1]
 *   isolation   → `path_length` (mean E[h]) and `score` = −2^(−E[h]/c(maxSamples)),
 *                 scikit-learn's score_samples, both float [N, 1], and
 *                 `decision` = score − offset (negative = outlier).
 * Thresholds are floored to float32 (see threshold-float32.ts), so decisions
 * equal the in-process float32 predictor's.
 */

export const ONNX_OPSETS = [
  { domain: '', version: 17 },
  { domain: 'ai.onnx.ml', version: 3 },
];

type ExportableModel = RandomForestClassifier | RandomForestRegressor | IsolationForest;

/** nodes_* attributes describing every tree's structure. */
function structureAttributes(trees: readonly FlatTree[]): OnnxAttribute[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.nodeCount; i++) {
      const leaf = t.feature[i] === LEAF;
      treeIds.push(ti);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : (t.feature[i] as number));
      values.push(leaf ? 0 : floorToFloat32(t.threshold[i] as number));
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      trueIds.push(leaf ? 0 : (t.left[i] as number));
      falseIds.push(leaf ? 0 : (t.right[i] as number));
    }
  });
  return [
    attr.ints('nodes_treeids', treeIds),
    attr.ints('nodes_nodeids', nodeIds),
    attr.ints('nodes_featureids', featureIds),
    attr.floats('nodes_values', values),
    attr.strings('nodes_modes', modes),
    attr.ints('nodes_truenodeids', trueIds),
    attr.ints('nodes_falsenodeids', falseIds),
    attr.string('post_transform', 'NONE'),
  ];
}

/** Per leaf and output: (tree, node, output index, weight = leaf value × scale). */
function leafWeights(trees: readonly FlatTree[], scale: number, prefix: 'class' | 'target'): OnnxAttribute[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const ids: number[] = [];
  const weights: number[] = [];
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.nodeCount; i++) {
      if (t.feature[i] !== LEAF) continue;
      // Zeros are listed too, so every row gets a score for every class.
      for (let k = 0; k < t.nOutputs; k++) {
        treeIds.push(ti);
        nodeIds.push(i);
        ids.push(k);
        weights.push((t.value[i * t.nOutputs + k] as number) * scale);
      }
    }
  });
  return [
    attr.ints(`${prefix}_treeids`, treeIds),
    attr.ints(`${prefix}_nodeids`, nodeIds),
    attr.ints(`${prefix}_ids`, ids),
    attr.floats(`${prefix}_weights`, weights),
  ];
}

function checkFeatureNames(nFeatures: number, featureNames?: readonly string[]): string[] {
  const names = featureNames ? [...featureNames] : Array.from({ length: nFeatures }, (_, i) => `f${i}`);
  if (names.length !== nFeatures)
    throw usageError(`got ${names.length} feature names for a model with ${nFeatures} features`);
  return names;
}

/** Serialise a trained forest to ONNX ModelProto bytes (write them to a .onnx file). */
export function exportForestToOnnx(model: ExportableModel, featureNames?: readonly string[]): Uint8Array {
  if (model.trees.length === 0) throw usageError('cannot export an untrained model');
  if (model.precision !== 'float32') {
    // onnxruntime compares float32 features; a float64-trained tree may split between values float32 cannot tell apart.
    throw usageError(
      'only models trained with precision "float32" (the default) can be exported to ONNX with identical decisions',
    );
  }
  const names = checkFeatureNames(model.nFeatures, featureNames);
  const input = { name: 'input', elemType: ElemType.float, dims: ['N', model.nFeatures] };
  const metadata: Record<string, string> = {
    'smx.feature_names': JSON.stringify(names),
    'smx.trees': String(model.trees.length),
  };
  const nTrees = model.trees.length;

  if (model instanceof RandomForestClassifier) {
    if (!model.classes.every((c) => Number.isSafeInteger(c))) {
      throw usageError('ONNX classifiers need integer class labels', {
        hint: 'encode labels as integers before training',
      });
    }
    if (model.classes.length < 2) throw usageError('ONNX export needs a classifier trained on at least two classes');
    // The tree operator sums raw leaf fractions over trees; its own label output
    // is not used because onnxruntime's two-class rule (positive when the class-1
    // score > 0) is not an argmax. Label = first argmax of the sums, as numpy's
    // argmax in scikit-learn: sums of whole-number leaf fractions are exact in
    // float32, so ties (p = 0.5) break the same way as in-process.
    return encodeModel({
      graphName: 'smx_random_forest_classifier',
      nodes: [
        {
          opType: 'TreeEnsembleClassifier',
          domain: 'ai.onnx.ml',
          name: 'forest',
          inputs: ['input'],
          outputs: ['tree_label', 'class_sums'],
          attributes: [
            ...structureAttributes(model.trees),
            ...leafWeights(model.trees, 1, 'class'),
            attr.ints(
              'classlabels_int64s',
              model.classes.map((_, k) => k),
            ),
          ],
        },
        { opType: 'Div', name: 'mean_over_trees', inputs: ['class_sums', 'n_trees'], outputs: ['probabilities'] },
        {
          opType: 'ArgMax',
          name: 'top_class',
          inputs: ['class_sums'],
          outputs: ['class_index'],
          attributes: [attr.int('axis', 1), attr.int('keepdims', 0)],
        },
        {
          opType: 'Gather',
          name: 'class_label',
          inputs: ['class_labels', 'class_index'],
          outputs: ['label'],
          attributes: [attr.int('axis', 0)],
        },
      ],
      initializers: [
        { name: 'n_trees', dims: [], elemType: ElemType.float, values: [nTrees] },
        { name: 'class_labels', dims: [model.classes.length], elemType: ElemType.int64, values: model.classes },
      ],
      inputs: [input],
      outputs: [
        { name: 'label', elemType: ElemType.int64, dims: ['N'] },
        { name: 'probabilities', elemType: ElemType.float, dims: ['N', model.classes.length] },
      ],
      opsets: ONNX_OPSETS,
      metadata: { ...metadata, 'smx.kind': 'RandomForestClassifier', 'smx.classes': JSON.stringify(model.classes) },
    });
  }

  const regressor = (output: string): OnnxNode => ({
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    name: 'forest',
    inputs: ['input'],
    outputs: [output],
    attributes: [
      ...structureAttributes(model.trees),
      ...leafWeights(model.trees, 1, 'target'),
      attr.int('n_targets', 1),
      attr.string('aggregate_function', 'AVERAGE'),
    ],
  });

  if (model instanceof RandomForestRegressor) {
    return encodeModel({
      graphName: 'smx_random_forest_regressor',
      nodes: [regressor('variable')],
      inputs: [input],
      outputs: [{ name: 'variable', elemType: ElemType.float, dims: ['N', 1] }],
      opsets: ONNX_OPSETS,
      metadata: { ...metadata, 'smx.kind': 'RandomForestRegressor' },
    });
  }

  // Isolation forest: leaves hold depth + c(n), AVERAGE gives E[h]; the score is computed in-graph.
  const out = (name: string) => ({ name, elemType: ElemType.float, dims: ['N', 1] as (number | string)[] });
  const op = (opType: string, inputs: string[], output: string): OnnxNode => ({
    opType,
    name: output,
    inputs,
    outputs: [output],
  });
  return encodeModel({
    graphName: 'smx_isolation_forest',
    nodes: [
      regressor('path_length'),
      op('Div', ['path_length', 'c_max_samples'], 'relative_path'),
      op('Neg', ['relative_path'], 'neg_relative_path'),
      op('Pow', ['two', 'neg_relative_path'], 'anomaly_score'),
      op('Neg', ['anomaly_score'], 'score'),
      op('Sub', ['score', 'offset'], 'decision'),
    ],
    initializers: [
      { name: 'c_max_samples', dims: [], elemType: ElemType.float, values: [averagePathLength(model.maxSamples)] },
      { name: 'two', dims: [], elemType: ElemType.float, values: [2] },
      { name: 'offset', dims: [], elemType: ElemType.float, values: [model.offset] },
    ],
    inputs: [input],
    outputs: [out('path_length'), out('score'), out('decision')],
    opsets: ONNX_OPSETS,
    metadata: {
      ...metadata,
      'smx.kind': 'IsolationForest',
      'smx.max_samples': String(model.maxSamples),
      'smx.offset': String(model.offset),
    },
  });
}

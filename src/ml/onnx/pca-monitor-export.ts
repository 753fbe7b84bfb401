import type { PcaMonitorJson } from '../anomaly/pca-monitor.js';
import { attr, ElemType, encodeModel, type OnnxNode, type OnnxTensor } from './onnx-model.js';

/**
 * A PCA monitor (src/ml/anomaly/pca-monitor.ts) as an ONNX graph of standard
 * operators only (opset 17: Sub, Div, MatMul, Mul, ReduceSum, Max), so
 * onnxruntime serves it like the tree models. Input `input` float [N, p];
 * outputs float [N]: `t2`, `q` and `score` = the rule's max(T²/T²lim, Q/Qlim)
 * (> 1 = alarm). Parameters are float32, so figures match the float64
 * in-process model to ~1e-5 relative (test/ml/anomaly/pca-onnx-parity.test.ts).
 */
export function exportPcaMonitorToOnnx(m: PcaMonitorJson, featureNames: readonly string[]): Uint8Array {
  const p = m.mean.length;
  const k = m.eigenvalues.length;
  const loadings = new Float64Array(p * k); // [p, k]: column a is component a
  const back = new Float64Array(k * p); // [k, p]
  m.loadings.forEach((w, a) =>
    w.forEach((v, j) => {
      loadings[j * k + a] = v;
      back[a * p + j] = v;
    }),
  );
  const f = (name: string, dims: number[], values: ArrayLike<number>): OnnxTensor => ({
    name,
    dims,
    elemType: ElemType.float,
    values,
  });
  const initializers: OnnxTensor[] = [
    f('mean', [p], m.mean),
    f('scale', [p], m.scale),
    f('loadings', [p, k], loadings),
    f('loadings_t', [k, p], back),
    f(
      'inv_lambda',
      [k],
      m.eigenvalues.map((l) => 1 / l),
    ),
    f('inv_t2_limit', [], [1 / m.t2Limit]),
    f('inv_q_limit', [], [Number.isFinite(m.qLimit) ? 1 / m.qLimit : 0]),
    { name: 'axis1', dims: [1], elemType: ElemType.int64, values: [1] },
  ];
  const n = (opType: string, inputs: string[], output: string, attributes?: OnnxNode['attributes']): OnnxNode => ({
    opType,
    name: output,
    inputs,
    outputs: [output],
    ...(attributes ? { attributes } : {}),
  });
  const nodes: OnnxNode[] = [
    n('Sub', ['input', 'mean'], 'centred'),
    n('Div', ['centred', 'scale'], 'z'),
    n('MatMul', ['z', 'loadings'], 'scores'),
    n('Mul', ['scores', 'scores'], 'scores_sq'),
    n('Mul', ['scores_sq', 'inv_lambda'], 't2_terms'),
    n('MatMul', ['scores', 'loadings_t'], 'z_hat'),
    n('Sub', ['z', 'z_hat'], 'residual'),
    n('Mul', ['residual', 'residual'], 'residual_sq'),
  ];
  // ReduceSum takes its axes as an input from opset 13; keepdims 0 gives [N].
  const keep0 = [attr.int('keepdims', 0)];
  nodes.push(n('ReduceSum', ['t2_terms', 'axis1'], 't2', keep0), n('ReduceSum', ['residual_sq', 'axis1'], 'q', keep0));
  nodes.push(n('Mul', ['t2', 'inv_t2_limit'], 't2_ratio'), n('Mul', ['q', 'inv_q_limit'], 'q_ratio'));
  const rule = m.options.rule;
  nodes.push(
    rule === 't2'
      ? n('Identity', ['t2_ratio'], 'score')
      : rule === 'q'
        ? n('Identity', ['q_ratio'], 'score')
        : n('Max', ['t2_ratio', 'q_ratio'], 'score'),
  );
  return encodeModel({
    graphName: 'smx_pca_monitor',
    nodes,
    inputs: [{ name: 'input', elemType: ElemType.float, dims: ['N', p] }],
    outputs: ['t2', 'q', 'score'].map((name) => ({ name, elemType: ElemType.float, dims: ['N'] })),
    initializers,
    opsets: [{ domain: '', version: 17 }],
    metadata: { features: featureNames.join(','), rule, t2_limit: String(m.t2Limit), q_limit: String(m.qLimit) },
    docString: `PCA process monitoring: ${k} of ${p} components, T² and Q (SPE) with limits at alpha ${m.options.alpha}`,
  });
}

import * as ort from 'onnxruntime-node';
import { inputError } from '../../errors.js';
import { type Matrix, isMatrix, toRowMajorFloat32 } from '../tree/matrix.js';

/** Row-major float32 rows, the layout of an ONNX [rows, cols] tensor. */
export interface Float32Rows {
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface OnnxClassification {
  /** Predicted class label per row. */
  labels: Float64Array;
  /** Row-major rows × classes. */
  probabilities: Float32Array;
  nClasses: number;
}

/**
 * An onnxruntime-node session over a model exported by exportForestToOnnx (or
 * any model with one float input). Create with `await OnnxModelSession.load()`,
 * and call `release()` when done: the native session holds memory outside V8.
 *
 * @example
 * const s = await OnnxModelSession.load(exportForestToOnnx(rf, names));
 * try { const { probabilities } = await s.classify(rows); } finally { await s.release(); }
 */
export class OnnxModelSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(
    model: Uint8Array | string,
    options: ort.InferenceSession.SessionOptions = {},
  ): Promise<OnnxModelSession> {
    try {
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, options)
          : await ort.InferenceSession.create(model, options);
      return new OnnxModelSession(session);
    } catch (error) {
      throw inputError(`onnxruntime could not load the model: ${(error as Error).message}`, { cause: error });
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Run the model; returns each output's raw data. */
  async run(x: Float32Rows | Matrix): Promise<Record<string, Float32Array | BigInt64Array>> {
    const rows = isMatrix(x) ? { data: toRowMajorFloat32(x), rows: x.rows, cols: x.cols } : x;
    if (rows.data.length !== rows.rows * rows.cols) {
      throw inputError(`input has ${rows.data.length} values, expected ${rows.rows} × ${rows.cols}`);
    }
    const inputName = this.session.inputNames[0];
    if (inputName === undefined) throw inputError('the ONNX model has no input');
    const feeds = { [inputName]: new ort.Tensor('float32', rows.data, [rows.rows, rows.cols]) };
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.session.run(feeds);
    } catch (error) {
      throw inputError(`onnxruntime could not run the model: ${(error as Error).message}`, { cause: error });
    }
    const out: Record<string, Float32Array | BigInt64Array> = {};
    for (const name of this.session.outputNames) {
      const t = results[name];
      if (t) out[name] = t.data as Float32Array | BigInt64Array;
    }
    return out;
  }

  /** For an exported classifier: labels and class probabilities. */
  async classify(x: Float32Rows | Matrix): Promise<OnnxClassification> {
    const out = await this.run(x);
    const label = out.label as BigInt64Array | undefined;
    const probabilities = out.probabilities as Float32Array | undefined;
    if (!label || !probabilities) throw inputError('not an smx classifier model: outputs label/probabilities missing');
    const labels = new Float64Array(label.length);
    for (let i = 0; i < label.length; i++) labels[i] = Number(label[i]);
    return { labels, probabilities, nClasses: label.length === 0 ? 0 : probabilities.length / label.length };
  }

  /** For an exported regressor: one prediction per row. */
  async regress(x: Float32Rows | Matrix): Promise<Float32Array> {
    const out = (await this.run(x)).variable;
    if (!(out instanceof Float32Array)) throw inputError('not an smx regressor model: output variable missing');
    return out;
  }

  /** For an exported isolation forest: scikit-learn's score_samples and decision_function per row. */
  async scoreAnomalies(
    x: Float32Rows | Matrix,
  ): Promise<{ score: Float32Array; decision: Float32Array; pathLength: Float32Array }> {
    const out = await this.run(x);
    const { score, decision } = out;
    const pathLength = out.path_length;
    if (
      !(score instanceof Float32Array) ||
      !(decision instanceof Float32Array) ||
      !(pathLength instanceof Float32Array)
    ) {
      throw inputError('not an smx isolation forest model: outputs score/decision/path_length missing');
    }
    return { score, decision, pathLength };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

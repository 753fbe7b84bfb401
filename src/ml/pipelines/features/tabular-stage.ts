import { inputError } from '../../../errors.js';
import type { Stage } from '../../../pipeline/stage.js';
import type { FeatureStageSpec } from '../../../pipeline/schema.js';
import { ordinalEncode } from '../../features/tabular.js';
import type { Dataset, SourceTable } from '../types.js';
import { assertFiniteFeatures } from './dataset-ops.js';

export type TabularParams = Extract<FeatureStageSpec, { kind: 'tabular' }> & {
  target?: string | undefined;
  /** A column the evaluation scores against instead of the target (the uncapped remaining life). */
  truth?: string | undefined;
};

/**
 * Selects the named numeric columns and codes the ordinal ones (the map is
 * fixed in the pipeline, so training and serving code a value the same way and
 * nothing is learned from the test rows). No scaling: the models here are
 * trees, which are invariant to it. Leakage was rejected when the pipeline was
 * validated; the target column becomes the dataset's target.
 */
export const tabularStage: Stage<TabularParams, readonly [SourceTable], Dataset> = {
  kind: 'features.tabular',
  version: '1',
  async run(params, [table]) {
    const names = [...params.numeric, ...Object.keys(params.ordinal)];
    const data = new Float64Array(table.rows * names.length);
    params.numeric.forEach((name, j) => {
      const column = table.columns[name];
      if (column === undefined)
        throw inputError(`features: no column ${JSON.stringify(name)} in the source`, {
          details: { columns: Object.keys(table.columns) },
        });
      if (!(column instanceof Float64Array))
        throw inputError(
          `features: column ${JSON.stringify(name)} is not numeric (e.g. ${JSON.stringify(column[0])}); code it with ordinal`,
        );
      data.set(column, j * table.rows);
    });
    Object.entries(params.ordinal).forEach(([name, map], k) => {
      const column = table.columns[name];
      if (column === undefined)
        throw inputError(`features: no column ${JSON.stringify(name)} in the source`, {
          details: { columns: Object.keys(table.columns) },
        });
      const values = column instanceof Float64Array ? Array.from(column, String) : column;
      data.set(ordinalEncode(values, map, name), (params.numeric.length + k) * table.rows);
    });
    const target = params.target ? Float64Array.from(numericColumn(table, params.target, 'target')) : null;
    const truth = params.truth === undefined ? undefined : numericColumn(table, params.truth, 'truth');
    const kept: Record<string, Float64Array> = {};
    for (const name of params.keep ?? []) {
      const column = table.columns[name];
      if (!(column instanceof Float64Array))
        throw inputError(
          `features.keep: column ${JSON.stringify(name)} is ${column ? 'not numeric' : 'not in the source'}`,
        );
      kept[name] = Float64Array.from(column);
    }
    const ds: Dataset = {
      shape: 'dataset',
      featureNames: names,
      rows: table.rows,
      data,
      target,
      groups: table.groups,
      time: table.time,
      encoding: { ordinal: params.ordinal },
      ...(truth ? { truth: Float64Array.from(truth) } : {}),
      ...(params.keep?.length ? { columns: kept } : {}),
    };
    assertFiniteFeatures(ds, 'features.tabular');
    return ds;
  },
};

function numericColumn(table: SourceTable, name: string, role: string): Float64Array {
  const column = table.columns[name];
  if (!(column instanceof Float64Array))
    throw inputError(`${role} column ${JSON.stringify(name)} is ${column ? 'not numeric' : 'not in the source'}`);
  const bad = column.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw inputError(`${role} column ${JSON.stringify(name)} is empty at row ${bad}`);
  return column;
}

import { inputError } from '../../../errors.js';
import type { FeatureStageSpec } from '../../../pipeline/schema.js';
import type { Stage } from '../../../pipeline/stage.js';
import type { SourceTable } from '../types.js';

type GroupByParams = Extract<FeatureStageSpec, { kind: 'group-by' }>;

/**
 * Regroups a table's rows by the values of some columns (MIMII: one group per
 * machine id and noise level, `machine_id=0/SNR=-6`), so a per-group protocol
 * fits one model per machine instead of per file. Groups are named
 * `col=value/col=value` and numbered in order of first appearance.
 */
export const groupByStage: Stage<GroupByParams, readonly [SourceTable], SourceTable> = {
  kind: 'features.group-by',
  version: '1',
  async run(params, [table]) {
    const columns = params.columns.map((name) => {
      const column = table.columns[name];
      if (column === undefined)
        throw inputError(`group-by: no column ${JSON.stringify(name)} in the source`, {
          details: { columns: Object.keys(table.columns) },
        });
      return [name, column] as const;
    });
    const names: string[] = [];
    const ids = new Map<string, number>();
    const index = new Int32Array(table.rows);
    for (let r = 0; r < table.rows; r++) {
      const key = columns.map(([name, column]) => `${name}=${String(column[r])}`).join('/');
      let g = ids.get(key);
      if (g === undefined) {
        g = names.length;
        ids.set(key, g);
        names.push(key);
      }
      index[r] = g;
    }
    return { ...table, groups: { names, index } };
  },
};

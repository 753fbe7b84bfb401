import { inputError } from '../../../errors.js';
import type { Stage } from '../../../pipeline/stage.js';
import type { FeatureStageSpec } from '../../../pipeline/schema.js';
import { remainingUsefulLife } from '../../features/remaining-useful-life.js';
import type { SourceTable } from '../types.js';

type RulParams = Extract<FeatureStageSpec, { kind: 'rul-target' }>;

/** Name of the uncapped remaining-life column the stage adds beside `column`; the tabular stage makes it the truth. */
export const uncappedColumn = (column: string) => `${column}_uncapped`;

/**
 * Adds the remaining-useful-life target to a table whose groups are units
 * (C-MAPSS: `groupColumn: unit`): `column` = min(cap, RUL) and
 * `<column>_uncapped` = RUL, with RUL = the unit's remaining life at its last
 * row (`endOfLife`, e.g. the truth file joined by `groupValues`; absent = run
 * to failure, 0) + last cycle − cycle. The table stays a table, so the tabular
 * stage after it chooses the features as for any other source.
 */
export const rulTargetStage: Stage<RulParams, readonly [SourceTable], SourceTable> = {
  kind: 'features.rul-target',
  version: '1',
  async run(params, [table]) {
    const numeric = (name: string, role: string): Float64Array => {
      const values = table.columns[name];
      if (values === undefined)
        throw inputError(`rul-target: no ${role} column ${JSON.stringify(name)} in the source`, {
          details: { columns: Object.keys(table.columns) },
        });
      if (!(values instanceof Float64Array))
        throw inputError(`rul-target: the ${role} column ${JSON.stringify(name)} is not numeric`);
      return values;
    };
    const rul = remainingUsefulLife(numeric(params.cycle, 'cycle'), table.groups.index, {
      cap: params.cap,
      endOfLife: params.endOfLife === undefined ? undefined : numeric(params.endOfLife, 'endOfLife'),
    });
    return {
      ...table,
      columns: { ...table.columns, [params.column]: rul.capped, [uncappedColumn(params.column)]: rul.uncapped },
    };
  },
};

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isSmxError } from '../../../src/errors.js';
import { csvSource } from '../../../src/ml/pipelines/sources/file-sources.js';
import type { SourceTable } from '../../../src/ml/pipelines/types.js';
import { parsePipeline, type PipelineIssue } from '../../../src/pipeline/load-pipeline.js';
import type { SourceSpec } from '../../../src/pipeline/schema.js';
import { tempDir } from '../../helpers/database.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';

const dir = tempDir('smx-csv-source-');
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { cwd: dir, env: {} };

type CsvSpec = Extract<SourceSpec, { kind: 'csv' }>;
const read = (spec: Partial<CsvSpec> & Pick<CsvSpec, 'files'>) =>
  csvSource.run({ kind: 'csv', delimiter: ',', ...spec }, [], context) as Promise<SourceTable>;

const cmapssColumns = [
  'unit',
  'cycle',
  'setting1',
  'setting2',
  'setting3',
  ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`),
];

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isSmxError(error), String(error));
    assert.equal(error.exitCode, 3);
    return error.message;
  }
  assert.fail('expected bad input');
}

describe('csv source: header-less and whitespace-separated files', () => {
  it('reads whitespace-separated rows with two trailing spaces and declared columns, one group per unit', async () => {
    writeFileSync(
      path.join(dir, 'engines.txt'),
      '1 1 -0.0007 -0.0004 100.0  \n1 2 0.0019 -0.0003 100.0  \n\n2 1 0.0010\t0.0002 100.0  \r\n',
    );
    const table = await read({
      files: [{ path: 'engines.txt' }],
      delimiter: 'whitespace',
      columns: ['unit', 'cycle', 'a', 'b', 'c'],
      groupColumn: 'unit',
    });
    assert.equal(table.rows, 3);
    assert.deepEqual(Object.keys(table.columns), ['unit', 'cycle', 'a', 'b', 'c']);
    assert.deepEqual(Array.from(table.columns.a as Float64Array), [-0.0007, 0.0019, 0.001]);
    assert.deepEqual(Array.from(table.columns.c as Float64Array), [100, 100, 100]);
    const folder = path.basename(dir);
    assert.deepEqual(table.groups.names, [`${folder}/engines.txt#1`, `${folder}/engines.txt#2`]);
    assert.deepEqual(Array.from(table.groups.index), [0, 0, 1]);
  });

  it('reads a whitespace file with a header row when no columns are declared', async () => {
    writeFileSync(path.join(dir, 'with-header.txt'), '  x   y\n1 2\n3   4  \n');
    const table = await read({ files: [{ path: 'with-header.txt' }], delimiter: 'whitespace' });
    assert.deepEqual(Array.from(table.columns.y as Float64Array), [2, 4]);
  });

  it('reads a header-less comma file (FEMTO accelerometer layout) by the declared names', async () => {
    writeFileSync(path.join(dir, 'acc_00001.csv'), '9,39,39,65664,0.552,-0.146\n9,39,39,65703,0.501,-0.48\n');
    const table = await read({
      files: [{ path: 'acc_*.csv' }],
      columns: ['hour', 'minute', 'second', 'microsecond', 'horizontal', 'vertical'],
    });
    assert.equal(table.rows, 2, 'the first line is data, not a header');
    assert.deepEqual(Array.from(table.columns.vertical as Float64Array), [-0.146, -0.48]);
  });

  it('a row with the wrong number of fields is bad input naming file:line and the counts', async () => {
    writeFileSync(path.join(dir, 'short.txt'), '1 1 0.1 0.2 0.3  \n1 2 0.1 0.2  \n');
    const message = await rejection(
      read({ files: [{ path: 'short.txt' }], delimiter: 'whitespace', columns: ['unit', 'cycle', 'a', 'b', 'c'] }),
    );
    assert.match(message, /short\.txt:2: 4 whitespace-separated fields, expected 5/);
    writeFileSync(path.join(dir, 'short.csv'), '1,2,3\n1,2\n');
    assert.match(
      await rejection(read({ files: [{ path: 'short.csv' }], columns: ['a', 'b', 'c'] })),
      /short\.csv: not readable as CSV: .*line 2/,
    );
  });

  it(
    'reads NASA C-MAPSS train_FD001.txt: 20,631 rows, 26 columns, 100 engine units',
    { skip: skipWithoutShared() },
    async () => {
      const table = await read({
        files: [{ path: sharedPath('data', 'cmapss', 'train_FD001.txt') }],
        delimiter: 'whitespace',
        columns: cmapssColumns,
        groupColumn: 'unit',
      });
      assert.equal(table.rows, 20631);
      assert.equal(Object.keys(table.columns).length, 26);
      assert.equal(table.groups.names.length, 100);
      assert.equal(table.groups.names[0], 'cmapss/train_FD001.txt#1');
      const s2 = table.columns.s2 as Float64Array;
      assert.equal(s2[0], 641.82, 'first row: 1 1 -0.0007 -0.0004 100.0 518.67 641.82 …');
      const cycle = table.columns.cycle as Float64Array;
      const lastOfUnit1 = Array.from(table.groups.index).lastIndexOf(0);
      assert.equal(cycle[lastOfUnit1], 192, 'unit 1 runs 192 cycles to failure');
    },
  );
});

describe('csv source layout is validated when the pipeline loads', () => {
  const pipeline = (source: string) => `name: demo
description: engines
source:
${source}
target:
  column: y
features:
  - kind: tabular
    numeric: [a]
split:
  kind: group
model:
  kind: random-forest-regressor
evaluation:
  kind: regression
registration:
  name: demo
  domain: tabular
`;
  function issuesOf(text: string): PipelineIssue[] {
    try {
      parsePipeline(text, 'p.yaml');
    } catch (error) {
      assert.ok(isSmxError(error), String(error));
      assert.equal(error.exitCode, 2);
      return (error.details as { issues: PipelineIssue[] }).issues;
    }
    assert.fail('expected the pipeline to be rejected');
  }

  it('accepts whitespace and declared columns', () => {
    const { spec } = parsePipeline(
      pipeline(`  kind: csv
  delimiter: whitespace
  columns: [unit, cycle, a, y]
  groupColumn: unit
  files:
    - path: train.txt`),
    );
    assert.equal(spec.source.kind === 'csv' && spec.source.delimiter, 'whitespace');
  });

  it('rejects a repeated column name, a group or time column that is not declared, and a bad delimiter', () => {
    const issues = issuesOf(
      pipeline(`  kind: csv
  delimiter: whitespace
  columns: [unit, cycle, a, cycle]
  groupColumn: engine
  timeColumn: cycle
  files:
    - path: train.txt`),
    );
    assert.deepEqual(
      issues.map((i) => [i.path, i.line]),
      [
        ['source.columns.3', 6],
        ['source.groupColumn', 7],
      ],
    );
    assert.match(issues[0]!.message, /"cycle" is named twice/);
    assert.match(issues[1]!.message, /"engine" is not among the declared columns/);
    const bad = issuesOf(
      pipeline(`  kind: csv
  delimiter: spaces
  files:
    - path: train.txt`),
    );
    assert.equal(bad[0]!.path, 'source.delimiter');
    assert.equal(bad[0]!.line, 5);
  });
});

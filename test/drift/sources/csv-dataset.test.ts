import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadCsvDataset, loadDatasetPair } from '../../../src/drift/sources/csv-dataset.js';
import { isSmxError } from '../../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smx-drift-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('loadCsvDataset', () => {
  it('types columns: numeric when every present value is a finite number', async () => {
    const p = file('a.csv', 'temp,type,code,late\n1.5,L,7,1\n,M,008,2\n3e2,"H, high",9,x\nNaN,L,10,3\n');
    const d = await loadCsvDataset(p);
    assert.equal(d.rows, 4);
    const temp = d.columns.get('temp')!;
    assert.equal(temp.kind, 'numeric');
    assert.deepEqual(Array.from(temp.values), [1.5, Number.NaN, 300, Number.NaN]);
    assert.deepEqual(d.columns.get('type'), { kind: 'categorical', values: ['L', 'M', 'H, high', 'L'] });
    assert.equal(d.columns.get('code')!.kind, 'numeric');
    // Turned categorical on the third row; earlier numeric text is kept exactly.
    assert.deepEqual(d.columns.get('late'), { kind: 'categorical', values: ['1', '2', 'x', '3'] });
  });
  it('re-reads a column that turns categorical after lossy numeric text', async () => {
    const p = file('b.csv', 'id\n007\n1.50\nA12\n');
    const d = await loadCsvDataset(p);
    assert.deepEqual(d.columns.get('id'), { kind: 'categorical', values: ['007', '1.50', 'A12'] });
  });
  it('names the file when it is missing, empty or malformed', async () => {
    const missing = path.join(dir, 'nope.csv');
    await assert.rejects(
      loadCsvDataset(missing),
      (e) => isSmxError(e) && e.code === 'NOT_FOUND' && e.message.includes(missing),
    );
    const empty = file('empty.csv', '');
    await assert.rejects(
      loadCsvDataset(empty),
      (e) => isSmxError(e) && e.code === 'BAD_INPUT' && /empty/.test(e.message),
    );
    const ragged = file('ragged.csv', 'a,b\n1,2\n3\n');
    await assert.rejects(
      loadCsvDataset(ragged),
      (e) => isSmxError(e) && e.code === 'BAD_INPUT' && e.message.includes(ragged),
    );
    const dup = file('dup.csv', 'a,a\n1,2\n');
    await assert.rejects(loadCsvDataset(dup), /'a' twice/);
  });
});

describe('loadDatasetPair', () => {
  it('loads matching files', async () => {
    const { reference, current } = await loadDatasetPair(
      file('r.csv', 'x,y\n1,a\n2,b\n'),
      file('c.csv', 'y,x\nb,3\na,4\n'),
    );
    assert.deepEqual([...reference.columns.keys()], ['x', 'y']);
    assert.deepEqual(Array.from(current.columns.get('x')!.values as Float64Array), [3, 4]);
  });
  it('names the file and the missing column', async () => {
    const ref = file('r2.csv', 'x,torque\n1,2\n');
    const cur = file('c2.csv', 'x\n1\n');
    await assert.rejects(
      loadDatasetPair(ref, cur),
      (e) => isSmxError(e) && e.code === 'BAD_INPUT' && e.message.includes("'torque'") && e.message.includes(cur),
    );
    await assert.rejects(
      loadDatasetPair(cur, ref),
      (e) => isSmxError(e) && e.message.includes("'torque'") && e.message.includes(ref),
    );
  });
});

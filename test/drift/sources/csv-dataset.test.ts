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
  it('counts ±inf and stray words in a numeric column as invalid, naming the first line, instead of turning it categorical', async () => {
    const values = Array.from({ length: 250 }, (_, i) => String(i % 17));
    values[40] = 'inf';
    values[90] = '-Infinity';
    values[200] = 'n/a-sensor';
    const p = file('inf.csv', 'x\n' + values.join('\n') + '\n');
    const x = (await loadCsvDataset(p)).columns.get('x')!;
    assert.equal(x.kind, 'numeric');
    assert.ok(x.kind === 'numeric');
    assert.deepEqual(x.invalid, { count: 3, first: { line: 42, text: 'inf' } });
    assert.ok(Number.isNaN(x.values[40]!) && Number.isNaN(x.values[200]!));
    assert.equal(x.values[41], 41 % 17);
  });
  it('reads only decimal numbers as numbers: 0x10, 1_000 and 1e999 are not', async () => {
    const p = file('hex.csv', 'h,u,ok\n0x10,1_000,1e3\n0x11,2_000,-.5\n');
    const d = await loadCsvDataset(p);
    assert.deepEqual(d.columns.get('h'), { kind: 'categorical', values: ['0x10', '0x11'] });
    assert.deepEqual(d.columns.get('u'), { kind: 'categorical', values: ['1_000', '2_000'] });
    assert.deepEqual(Array.from(d.columns.get('ok')!.values as Float64Array), [1000, -0.5]);
    const mixed = Array.from({ length: 100 }, (_, i) => String(i));
    mixed[5] = '0x10';
    const m = (await loadCsvDataset(file('hex2.csv', 'v\n' + mixed.join('\n') + '\n'))).columns.get('v')!;
    assert.ok(m.kind === 'numeric' && Number.isNaN(m.values[5]!) && m.invalid?.first.text === '0x10');
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

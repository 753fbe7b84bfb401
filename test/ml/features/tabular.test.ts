import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnByName } from '../../../src/ml/features/feature-matrix.js';
import { applyStandardScaler, fitStandardScaler } from '../../../src/ml/features/standard-scaler.js';
import {
  dropColumns,
  fitTabular,
  oneHotEncode,
  ordinalEncode,
  selectColumns,
  transformTabular,
  type Table,
} from '../../../src/ml/features/tabular.js';

const train: Table = {
  UDI: [1, 2, 3, 4],
  Type: ['L', 'M', 'H', 'L'],
  Site: ['a', 'b', 'a', 'c'],
  Torque: ['10', '20', '30', '40'],
  Failure: [0, 0, 1, 0],
};
const test_: Table = {
  UDI: [5, 6],
  Type: ['H', 'M'],
  Site: ['z', 'b'],
  Torque: [25, 1000],
  Failure: [1, 0],
};

test('select and drop columns; a missing column is bad input naming it', () => {
  assert.deepEqual(Object.keys(selectColumns(train, ['Torque', 'Type'])), ['Torque', 'Type']);
  assert.deepEqual(Object.keys(dropColumns(train, ['UDI', 'Failure'])), ['Type', 'Site', 'Torque']);
  assert.throws(() => selectColumns(train, ['Nope']), { code: 'BAD_INPUT', message: /Nope/ });
});

test('ordinal and one-hot encoders', () => {
  assert.deepEqual(Array.from(ordinalEncode(['L', 'H', 'M'], { L: 0, M: 1, H: 2 })), [0, 2, 1]);
  assert.throws(() => ordinalEncode(['X'], { L: 0 }, 'Type'), { code: 'BAD_INPUT', message: /Type, row 0/ });
  const [a, b] = oneHotEncode(['b', 'a', 'q'], ['a', 'b']);
  assert.deepEqual(Array.from(a!), [0, 1, 0]);
  assert.deepEqual(Array.from(b!), [1, 0, 0]);
});

test('fitTabular standardises with training statistics only and reuses them at transform time', () => {
  const enc = fitTabular(train, {
    drop: ['UDI', 'Failure'],
    ordinal: { Type: { L: 0, M: 1, H: 2 } },
    oneHot: ['Site'],
  });
  assert.deepEqual(enc.featureNames, ['Torque', 'Type', 'Site=a', 'Site=b', 'Site=c']);
  const xTrain = transformTabular(enc, train);
  const torque = columnByName(xTrain, 'Torque');
  // training torque 10..40: mean 25, population std √125
  assert.ok(Math.abs(torque[0]! - (10 - 25) / Math.sqrt(125)) < 1e-12);
  const xTest = transformTabular(enc, test_);
  const testTorque = columnByName(xTest, 'Torque');
  assert.equal(testTorque[0], 0, 'test value 25 maps with the training mean, not the test mean');
  assert.ok(Math.abs(testTorque[1]! - (1000 - 25) / Math.sqrt(125)) < 1e-9);
  // unseen category "z" is all zeros, one-hot columns are not standardised
  assert.deepEqual(
    [columnByName(xTest, 'Site=a')[0], columnByName(xTest, 'Site=b')[0], columnByName(xTest, 'Site=c')[0]],
    [0, 0, 0],
  );
  assert.equal(columnByName(xTest, 'Site=b')[1], 1);
  const json = JSON.parse(JSON.stringify(enc));
  assert.deepEqual(transformTabular(json, test_), xTest, 'the encoder survives a JSON round trip');
});

test('non-numeric values and conflicting specs are reported', () => {
  assert.throws(() => fitTabular({ x: ['1', 'oops'] }), { code: 'BAD_INPUT', message: /column x, row 1/ });
  assert.throws(() => fitTabular(train, { numeric: ['Type'], ordinal: { Type: { L: 0 } } }), { code: 'USAGE' });
  assert.throws(() => fitTabular({ a: [1, 2], b: [1] }), { code: 'BAD_INPUT' });
});

test('a constant training column standardises to 0 instead of NaN', () => {
  const m = { featureNames: ['c', 'v'], rows: 3, data: Float64Array.of(7, 7, 7, 1, 2, 3) };
  const scaler = fitStandardScaler(m);
  assert.deepEqual(scaler.std, [1, Math.sqrt(2 / 3)]);
  const out = applyStandardScaler(scaler, m);
  assert.deepEqual(Array.from(out.data.subarray(0, 3)), [0, 0, 0]);
});

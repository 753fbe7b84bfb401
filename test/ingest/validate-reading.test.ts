import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoTimestamp, parseEpochTimestamp, TimestampFailure } from '../../src/ingest/parse-timestamp.js';
import { parseDecimal } from '../../src/ingest/parse-number.js';
import { emptyValidRow, validateReading, validateTextRow } from '../../src/ingest/validate-reading.js';
import { splitCsvLine, CsvLineError } from '../../src/ingest/csv-fields.js';

describe('parseIsoTimestamp', () => {
  it('agrees with Date.parse on offsets, fractions and separators', () => {
    for (const s of [
      '2024-05-01T12:00:00Z',
      '2024-05-01T12:00:00.123Z',
      '2024-05-01 12:00:00+02:00',
      '2024-02-29T23:59:59-0530',
      '2024-05-01T12:00Z',
      '1999-12-31T23:59:59.999+01',
    ]) {
      const normalized = s
        .replace(' ', 'T')
        .replace(/([+-]\d\d)(\d\d)$/, '$1:$2')
        .replace(/([+-]\d\d)$/, '$1:00');
      assert.equal(parseIsoTimestamp(s), Date.parse(normalized) * 1000, s);
    }
    assert.equal(
      parseIsoTimestamp('2024-05-01T12:00:00.1234567Z'),
      Date.parse('2024-05-01T12:00:00.123Z') * 1000 + 456,
    );
  });
  it('rejects missing offsets unless told to assume UTC', () => {
    assert.equal(parseIsoTimestamp('2024-05-01T12:00:00'), TimestampFailure.noOffset);
    assert.equal(parseIsoTimestamp('2024-05-01T12:00:00', true), Date.UTC(2024, 4, 1, 12) * 1000);
  });
  it('rejects impossible, malformed and out-of-range timestamps', () => {
    assert.equal(parseIsoTimestamp('2023-02-29T00:00:00Z'), TimestampFailure.badField);
    assert.equal(parseIsoTimestamp('2024-05-01T24:00:00Z'), TimestampFailure.badField);
    assert.equal(parseIsoTimestamp('yesterday'), TimestampFailure.malformed);
    assert.equal(parseIsoTimestamp('2024-05-01T12:00:00Zjunk'), TimestampFailure.malformed);
    assert.equal(parseIsoTimestamp('1969-12-31T23:00:00Z'), TimestampFailure.outOfRange);
    assert.equal(parseIsoTimestamp('2100-01-01T00:00:00Z'), TimestampFailure.outOfRange);
    assert.equal(parseIsoTimestamp(''), TimestampFailure.empty);
  });
  it('reads epoch seconds and milliseconds', () => {
    assert.equal(parseEpochTimestamp('1714564800', 's'), 1714564800 * 1e6);
    assert.equal(parseEpochTimestamp('1714564800123', 'ms'), 1714564800123 * 1e3);
    assert.equal(
      parseEpochTimestamp('1714564800123', 's'),
      TimestampFailure.outOfRange,
      'a millisecond value read as seconds',
    );
    assert.equal(parseEpochTimestamp('1e9', 's'), TimestampFailure.malformed);
  });
});

describe('parseDecimal', () => {
  it('is correctly rounded and strict', () => {
    for (const s of ['0', '-0', '1.5', '0.1', '123456789012345', '1234567890123456789', '1e-7', '-3.25E+3', '.5', '5.'])
      assert.ok(Object.is(parseDecimal(s), Number(s)), s);
    for (const s of ['', 'NaN', 'Infinity', '0x1A', '1_000', '1.2.3', ' 1', '1,5'])
      assert.ok(Number.isNaN(parseDecimal(s)), s);
  });
});

describe('validateTextRow', () => {
  const out = emptyValidRow();
  const check = (id: string, ts: string, value: string, quality?: string, meta?: string) =>
    validateTextRow(id, ts, value, quality, undefined, undefined, meta, {}, out);
  it('accepts a good row', () => {
    assert.equal(check('s1', '2024-05-01T00:00:00Z', '1.25', '0.5', '{"a":1}'), undefined);
    assert.deepEqual(
      { ...out },
      {
        sensorId: 's1',
        tsMicros: Date.UTC(2024, 4, 1) * 1000,
        value: 1.25,
        quality: 0.5,
        sensorType: undefined,
        unit: undefined,
        metadata: '{"a":1}',
      },
    );
  });
  it('names the field and the reason', () => {
    assert.equal(check('', '2024-05-01T00:00:00Z', '1')?.field, 'sensor_id');
    assert.equal(check('x'.repeat(201), '2024-05-01T00:00:00Z', '1')?.field, 'sensor_id');
    assert.equal(check('s', '2024-05-01T00:00:00Z', 'NaN')?.reason, 'value "NaN" is not a finite number');
    assert.equal(check('s', '2024-05-01T00:00:00Z', 'Infinity')?.field, 'value');
    assert.equal(check('s', '2024-05-01T00:00:00Z', '')?.reason, 'empty value');
    assert.equal(check('s', '2024-05-01T00:00:00Z', '1', '1.5')?.field, 'quality');
    assert.equal(check('s', '2024-05-01T00:00:00Z', '1', undefined, '[1]')?.field, 'metadata');
    assert.equal(check('s', '2024-05-01T00:00:00Z', '1', undefined, 'x'.repeat(20_000))?.field, 'metadata');
  });
});

describe('validateReading (JSON bodies, as smx serve uses it)', () => {
  it('applies the same rules', () => {
    const ok = validateReading({
      sensor_id: 's1',
      value: 2,
      timestamp: '2024-05-01T00:00:00Z',
      sensor_type: 'pressure',
      metadata: { line: 3 },
    });
    assert.ok(ok.ok);
    assert.equal(ok.ok && ok.reading.ts, Date.UTC(2024, 4, 1));
    assert.deepEqual(validateReading({ sensor_id: 's1', value: NaN, timestamp: 0 }), {
      ok: false,
      field: 'value',
      reason: 'value is not a finite number',
    });
    const r = validateReading({ sensor_id: 's1', value: 1 });
    assert.equal(!r.ok && r.field, 'timestamp');
    assert.ok(validateReading({ sensor_id: 's1', value: 1 }, { receivedAt: () => Date.UTC(2024, 0, 1) * 1000 }).ok);
    assert.equal(validateReading('x').ok, false);
  });
});

describe('what PostgreSQL would refuse is rejected before the batch', () => {
  const reason = (input: Record<string, unknown>) => {
    const r = validateReading({ sensor_id: 's1', value: 1, timestamp: '2024-05-01T00:00:00Z', ...input });
    return r.ok ? undefined : `${r.field}: ${r.reason}`;
  };
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) deep = { d: deep };
  it('NUL, unpaired surrogates and depth in metadata; magnitudes beyond the limit', () => {
    assert.match(reason({ metadata: { k: '\u0000' } })!, /^metadata: .*NUL/);
    assert.match(reason({ metadata: { ['a\u0000']: 1 } })!, /^metadata: .*NUL/);
    assert.equal(reason({ metadata: { k: 'a\\u0000 \\\\ud800' } }), undefined, 'escaped backslashes are text');
    assert.match(reason({ metadata: { k: '\\\u0000' } })!, /NUL/);
    assert.match(reason({ metadata: { k: ['x', '\ud800'] } })!, /^metadata: .*surrogate/);
    assert.match(reason({ metadata: deep })!, /^metadata: metadata nested deeper than 32 levels/);
    assert.equal(reason({ metadata: { k: '\ud83d\ude00', n: [1, { m: null }] } }), undefined);
    assert.match(reason({ value: 1e308 })!, /^value: .*magnitude limit/);
    assert.match(reason({ value: -1e101 })!, /^value: .*magnitude limit/);
    assert.equal(reason({ value: 1e100 }), undefined);
  });
  it('sensor ids: trailing no-break space, bidi and invisible characters, unpaired surrogates, C1 controls', () => {
    for (const id of ['p7\u00a0', '\u00a0p7', 'p\u202e7', 'p\u200b7', '\ufeffp7', 'p\ud8007', 'p\u00857', 'p7\u3000'])
      assert.match(reason({ sensor_id: id })!, /^sensor_id: /, JSON.stringify(id));
    for (const id of ['pump-7', 'Pumpe-Ä', '泵-7', 'pump\u200d7'])
      assert.equal(reason({ sensor_id: id }), undefined, id);
  });
  it('labels and the text path apply the same rules', () => {
    assert.match(reason({ unit: 'C\ud800' })!, /^unit: .*surrogate/);
    const out = emptyValidRow();
    const row = (metadata: string, value = '1') =>
      validateTextRow('s1', '2024-05-01T00:00:00Z', value, undefined, undefined, undefined, metadata, {}, out);
    assert.match(row('{"a":"\\u0000"}')!.reason, /NUL/);
    assert.match(row('{"a":"\\ud800"}')!.reason, /surrogate/);
    assert.equal(row('{"a":1}', '1e308')!.field, 'value');
    assert.equal(row('{"a":"\\ud83d\\ude00"}'), undefined);
  });
  it('keeps microseconds from ISO text and epoch milliseconds', () => {
    const r = validateReading({ sensor_id: 's', value: 1, timestamp: '2026-05-01T12:00:00.000001Z' });
    assert.ok(r.ok);
    assert.equal(r.ok && r.reading.micros, Date.UTC(2026, 4, 1, 12) * 1000 + 1);
    const e = validateReading({ sensor_id: 's', value: 1, timestamp: 1714564800000.002 });
    assert.equal(e.ok && e.reading.micros, 1714564800000002);
  });
});

describe('splitCsvLine', () => {
  const split = (line: string, max = 10) => {
    const fields: string[] = [];
    const n = splitCsvLine(line, 0, line.length, 44, fields, max);
    return n < 0 ? n : fields.slice(0, n);
  };
  it('handles quotes, doubled quotes, empty and trailing fields', () => {
    assert.deepEqual(split('a,"b,c","say ""hi""",,'), ['a', 'b,c', 'say "hi"', '', '']);
    assert.deepEqual(split('"x"'), ['x']);
  });
  it('reports unbalanced quotes and text after a closing quote', () => {
    assert.equal(split('a,"b,c'), CsvLineError.unbalancedQuote);
    assert.equal(split('a,"b"c'), CsvLineError.textAfterQuote);
  });
  it('stops counting past the expected number of fields', () => {
    assert.equal(splitCsvLine('a,b,c,d', 0, 7, 44, [], 2), 3);
  });
});

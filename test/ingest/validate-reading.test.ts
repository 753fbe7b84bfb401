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
    assert.ok(validateReading({ sensor_id: 's1', value: 1 }, { defaultTimestampMs: Date.UTC(2024, 0, 1) }).ok);
    assert.equal(validateReading('x').ok, false);
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

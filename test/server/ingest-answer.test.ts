import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderAnswer, type IngestAnswer } from '../../src/server/routes/ingest.js';

describe('ingest answer text', () => {
  const base: IngestAnswer = {
    status: 'accepted',
    event_id: '5f0c1c2e-6d1b-4c8e-9a65-0f2b1c3d4e5f',
    request_id: 'gw-7.batch:12',
    received: 3,
    accepted: 2,
    duplicates: 1,
    rejected: 0,
    rejections: [],
  };
  const cases: Array<[string, IngestAnswer]> = [
    ['the usual answer', base],
    ['a generated request id', { ...base, request_id: 'b3c7a1d2-0e4f-4a5b-8c6d-7e8f9a0b1c2d' }],
    ['zeros', { ...base, received: 1, accepted: 0, duplicates: 1 }],
    [
      'rejections',
      {
        ...base,
        status: 'accepted',
        rejected: 1,
        rejections: [{ index: 2, field: 'value', reason: 'value "x" is not a decimal number' }],
      },
    ],
    [
      'all rejected, truncated',
      {
        ...base,
        status: 'rejected',
        accepted: 0,
        duplicates: 0,
        rejected: 150,
        rejections: [{ index: 0, reason: 'empty' }],
        rejections_truncated: true,
      },
    ],
    ['an id that would need escaping', { ...base, request_id: 'a"b\\c' }],
  ];
  for (const [name, answer] of cases) {
    it(`is exactly JSON.stringify's text: ${name}`, () => {
      assert.equal(renderAnswer(answer), JSON.stringify(answer));
    });
  }
});

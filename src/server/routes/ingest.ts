import { randomUUID } from 'node:crypto';
import type { Rejection, Validation } from '../../ingest/reading.js';
import { isDataException } from '../../errors.js';
import type { GroupCommit } from '../group-commit.js';
import { HttpError } from '../http-error.js';
import type { Idempotency, StoredResponse } from '../idempotency.js';
import { parseReadingsBody } from '../request-body.js';
import type { RouteHandler, RouteResult } from '../route-types.js';
import type { ServerMetrics } from '../server-metrics.js';

/** One reading that failed validation: its position in the request and why. */
export type IndexedRejection = { index: number } & Rejection;

export interface IngestDeps<Row> {
  /** Row validation (the same rules as `smx ingest`). */
  validate(raw: unknown): Validation<Row>;
  /** Group commit; outcome per row: true = stored now, false = already present (duplicate). */
  batcher: GroupCommit<Row, boolean>;
  idempotency: Idempotency;
  metrics: ServerMetrics;
  maxReasons?: number;
}

/**
 * POST /api/v1/data/ingest: one reading, a JSON array or NDJSON. Valid
 * readings go through group commit; the answer (202) comes after COMMIT and
 * counts accepted (stored now), duplicate (already stored) and rejected
 * readings with the reasons. 422 when no reading is valid. With an
 * Idempotency-Key a repeat gets the first answer back (status
 * "duplicate_ignored", as the seed, plus the first answer's fields).
 */
export function ingest<Row>(deps: IngestDeps<Row>): RouteHandler {
  const maxReasons = deps.maxReasons ?? 100;
  return async (context) => {
    const body = await context.body();
    const header = context.req.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    let claimed: string | undefined;
    if (key !== undefined) {
      const claim = await deps.idempotency.claim(context.principal?.scope ?? 'anonymous', key, body);
      if (claim.kind === 'replay') {
        return {
          status: claim.response.status,
          headers: { 'idempotent-replayed': 'true' },
          body: {
            ...claim.response.body,
            status: 'duplicate_ignored',
            idempotent_replay: true,
            request_id: context.requestId,
          },
        };
      }
      claimed = claim.cacheKey;
    }
    try {
      // Parsing and the answer are synchronous; the one wait is for the COMMIT (one async frame per request).
      const parsed = parseAndValidate(deps, body, context.req.headers['content-type'], maxReasons);
      const result = answerOf(parsed, await deps.batcher.add(parsed.rows), deps.metrics, context.requestId);
      if (claimed) {
        const stored: StoredResponse = { status: result.status, body: result.body! };
        // The rows are committed whether or not this write works; a lost marker only turns a replay into duplicates.
        await deps.idempotency
          .complete(claimed, body, stored)
          .catch((error: unknown) => context.log().warn({ err: error }, 'could not store the idempotent response'));
      }
      return result;
    } catch (error) {
      if (claimed) await deps.idempotency.release(claimed);
      throw refused(error);
    }
  };
}

/**
 * A value PostgreSQL refused reaches the route only once group commit has
 * isolated this request (the others of its flush were written without it),
 * so it is this request's fault: 422 with the database's reason, and nothing
 * of the request was stored.
 */
function refused(error: unknown): unknown {
  if (!isDataException(error)) return error;
  return new HttpError(
    422,
    'readings_refused',
    `PostgreSQL refused this request's readings (${(error as Error).message}); nothing of it was stored.`,
  );
}

interface Parsed<Row> {
  received: number;
  rows: Row[];
  rejections: IndexedRejection[];
  rejected: number;
}

function parseAndValidate<Row>(
  deps: IngestDeps<Row>,
  body: Buffer,
  contentType: string | undefined,
  maxReasons: number,
): Parsed<Row> {
  const raws = parseReadingsBody(body, contentType);
  const rows: Row[] = [];
  const rejections: IndexedRejection[] = [];
  let rejected = 0;
  for (let index = 0; index < raws.length; index++) {
    const verdict = deps.validate(raws[index]);
    if (verdict.ok) rows.push(verdict.row);
    else {
      rejected += 1;
      if (rejections.length < maxReasons) rejections.push({ index, field: verdict.field, reason: verdict.reason });
    }
  }
  return { received: raws.length, rows, rejections, rejected };
}

function answerOf<Row>(
  parsed: Parsed<Row>,
  outcomes: boolean[],
  metrics: ServerMetrics,
  requestId: string,
): RouteResult {
  const { rows, rejections, rejected } = parsed;
  let accepted = 0;
  for (const stored of outcomes) if (stored) accepted += 1;
  const duplicates = outcomes.length - accepted;
  const counts = metrics.ingestOutcomes;
  counts.accepted.value += accepted;
  counts.duplicate.value += duplicates;
  counts.rejected.value += rejected;
  const allRejected = rows.length === 0;
  const answer: IngestAnswer = {
    status: allRejected ? 'rejected' : 'accepted',
    event_id: randomUUID(),
    request_id: requestId,
    received: parsed.received,
    accepted,
    duplicates,
    rejected,
    rejections,
    ...(rejected > rejections.length ? { rejections_truncated: true } : {}),
  };
  return { status: allRejected ? 422 : 202, body: answer, text: renderAnswer(answer) };
}

export type IngestAnswer = {
  status: 'accepted' | 'rejected';
  event_id: string;
  request_id: string;
  received: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejections: IndexedRejection[];
  rejections_truncated?: true;
};

/**
 * The answer as JSON text, byte for byte what JSON.stringify gives. The usual
 * answer (nothing rejected) is written from a template: the ids are a UUID and
 * an X-Request-ID that matched [A-Za-z0-9._:-], so neither needs escaping, and
 * JSON.stringify of the object was a visible part of the server's CPU per
 * request. Anything else goes through JSON.stringify.
 */
export function renderAnswer(answer: IngestAnswer): string {
  if (
    answer.rejections.length > 0 ||
    answer.rejections_truncated ||
    !plainId.test(answer.request_id) ||
    !plainId.test(answer.event_id)
  )
    return JSON.stringify(answer);
  return `{"status":"${answer.status}","event_id":"${answer.event_id}","request_id":"${answer.request_id}","received":${answer.received},"accepted":${answer.accepted},"duplicates":${answer.duplicates},"rejected":${answer.rejected},"rejections":[]}`;
}
const plainId = /^[A-Za-z0-9._:-]*$/;

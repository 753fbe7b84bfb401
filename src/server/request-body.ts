import type { IncomingMessage } from 'node:http';
import { badRequest, HttpError, payloadTooLarge } from './http-error.js';

/**
 * Reads a request body up to `limit` bytes. A Content-Length above the limit is
 * refused before reading; a chunked body is cut off as soon as it passes it.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain, so the connection can answer
    return Promise.reject(payloadTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        req.resume();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    // 'on' rather than 'once' (no wrapper per request); `done` makes each settle once.
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(new HttpError(400, 'bad_request', `The request body could not be read: ${error.message}.`));
    });
  });
}

/** Parses a JSON object body, with the parser's reason on failure. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const value = parseJson(body.toString('utf8'), 'The request body');
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`${what} is not valid JSON: ${(error as Error).message}.`);
  }
}

const ndjsonTypes = /^application\/(x-)?(ndjson|jsonl|json-seq|jsonlines)\b|^application\/x-jsonlines\b/i;

/**
 * The readings of an ingest body: one JSON object, a JSON array, or NDJSON
 * (by Content-Type, or when a JSON body fails to parse but each line does).
 */
export function parseReadingsBody(body: Buffer, contentType: string | undefined): unknown[] {
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest('The request body is empty; send one reading, a JSON array or NDJSON.');
  if (contentType && ndjsonTypes.test(contentType)) return parseNdjson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim().includes('\n')) return parseNdjson(text);
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}.`);
  }
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return [value];
  throw badRequest('The request body must be a reading object, an array of readings, or NDJSON.');
}

function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line) out.push(parseJson(line, `NDJSON line ${i + 1}`));
  }
  return out;
}

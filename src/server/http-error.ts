import { isConnectionError, isSmxError } from '../errors.js';

/**
 * An error with an HTTP status, a stable machine code and a message that is
 * safe to show: responses never carry stack traces, SQL or driver messages.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    // An answer, not a fault: no stack trace is captured. No response or log shows it, and
    // capturing it took 11 % of the server's CPU samples in a profile under a flood of wrong keys.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, 'bad_request', message, { details });
export const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'ApiKey header="X-API-Key"' } });
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'No such route.') => new HttpError(404, 'not_found', message);
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', `Rate limit exceeded; retry after ${retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
export const databaseUnavailable = (retryAfterSeconds = 2) =>
  new HttpError(
    503,
    'database_unavailable',
    'PostgreSQL is not reachable; nothing from this request was stored. Retry later.',
    {
      headers: { 'retry-after': String(retryAfterSeconds) },
    },
  );
export const shuttingDown = () =>
  new HttpError(503, 'shutting_down', 'The server is shutting down; retry on another instance or shortly.', {
    headers: { 'retry-after': '1', connection: 'close' },
  });

/**
 * Maps anything thrown inside a handler to what the client may see. Known
 * failures keep their meaning; Postgres outages become 503 + Retry-After;
 * everything else is a bare 500 (details go to the log, not the response).
 */
export function toHttpError(error: unknown): { error: HttpError; internal: boolean } {
  if (error instanceof HttpError) return { error, internal: false };
  if (isConnectionError(error) || (isSmxError(error) && error.code === 'UNAVAILABLE'))
    return { error: databaseUnavailable(), internal: false };
  if (isSmxError(error)) {
    if (error.code === 'BAD_INPUT' || error.code === 'USAGE')
      return { error: badRequest(error.message), internal: false };
    if (error.code === 'NOT_FOUND') return { error: new HttpError(404, 'not_found', error.message), internal: false };
    if (error.code === 'INTERRUPTED') return { error: shuttingDown(), internal: false };
  }
  return {
    error: new HttpError(500, 'internal', 'Internal error; the request id identifies it in the server log.'),
    internal: true,
  };
}

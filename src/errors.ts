/**
 * One error type for the whole toolkit. Every expected failure carries a stable
 * exit code so cron, CI and scripts can branch on it:
 *
 *   0 ok · 1 check failed (drift found, hash mismatch) · 2 usage or config error
 *   3 bad input beyond the allowed rejects · 4 a dependency is unreachable
 *
 * Library code throws (or returns) these; only src/cli/main.ts turns them into
 * a process exit code. The table is repeated in DEVELOPERS.md and README.md.
 */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  badInput: 3,
  unavailable: 4,
  /** An unexpected bug: not part of the contract, but never 0. */
  internal: 70,
  /** Interrupted (Ctrl-C, SIGTERM): nothing half-written was kept. 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type SmxErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'NOT_BUILT'
  | 'SCHEMA_MISSING'
  | 'MIGRATION_CHANGED'
  | 'BAD_INPUT'
  | 'TOO_MANY_REJECTS'
  | 'NOT_FOUND'
  | 'CHECK_FAILED'
  | 'UNAVAILABLE'
  | 'INTERRUPTED'
  | 'CONFLICT'
  | 'INTERNAL';

const exitFor: Record<SmxErrorCode, ExitCode> = {
  USAGE: ExitCode.usage,
  CONFIG: ExitCode.usage,
  NOT_BUILT: ExitCode.usage,
  SCHEMA_MISSING: ExitCode.usage,
  MIGRATION_CHANGED: ExitCode.usage,
  NOT_FOUND: ExitCode.usage,
  CONFLICT: ExitCode.usage,
  BAD_INPUT: ExitCode.badInput,
  TOO_MANY_REJECTS: ExitCode.badInput,
  CHECK_FAILED: ExitCode.checkFailed,
  UNAVAILABLE: ExitCode.unavailable,
  INTERRUPTED: ExitCode.interrupted,
  INTERNAL: ExitCode.internal,
};

export interface SmxErrorOptions {
  /** What the user can do about it, printed after the message. */
  hint?: string;
  /** Structured detail for --json output (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class SmxError extends Error {
  readonly code: SmxErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: SmxErrorCode, message: string, options: SmxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SmxError';
    this.code = code;
    this.exitCode = exitFor[code];
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, exitCode: this.exitCode, message: this.message, hint: this.hint, ...this.details };
  }
}

export const usageError = (message: string, options?: SmxErrorOptions) => new SmxError('USAGE', message, options);
export const configError = (message: string, options?: SmxErrorOptions) => new SmxError('CONFIG', message, options);
export const inputError = (message: string, options?: SmxErrorOptions) => new SmxError('BAD_INPUT', message, options);
export const unavailableError = (message: string, options?: SmxErrorOptions) =>
  new SmxError('UNAVAILABLE', message, options);
export const notFoundError = (message: string, options?: SmxErrorOptions) =>
  new SmxError('NOT_FOUND', message, options);

export function isSmxError(error: unknown): error is SmxError {
  return error instanceof SmxError;
}

/** Connection-level failures (by Node errno, SQLSTATE name, or the database layer's mark), mapped to exit 4. */
const connectionErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE names smx branches on (PostgreSQL's appendix A names, camel-cased);
 * compare codes through these, never message text.
 */
export const SqlState = {
  uniqueViolation: '23505',
  /** Also what PostgreSQL raises for a row that no partition accepts. */
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  duplicateDatabase: '42P04',
  invalidCatalogName: '3D000',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
} as const;
export type SqlStateName = keyof typeof SqlState;

/** SQLSTATE classes (the first two characters) smx branches on. */
export const SqlStateClass = {
  connectionException: '08',
  /** Values PostgreSQL cannot take: out of range, bad encoding, invalid text for a type. */
  dataException: '22',
  integrityConstraintViolation: '23',
  /** Too many columns or parameters, a row or value too large. */
  programLimitExceeded: '54',
  /** Includes query_canceled and the server shutting down. */
  operatorIntervention: '57',
} as const;

export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether `error` carries the SQLSTATE of that name. */
export function hasSqlState(error: unknown, name: SqlStateName): boolean {
  return sqlState(error) === SqlState[name];
}

const lostConnections = new WeakSet<object>();

/**
 * Marks an error the database driver raised for a connection it lost or could
 * not open. The driver gives those no SQLSTATE, so src/db (the one place that
 * speaks to it) recognises them and marks them here; everyone else asks
 * isConnectionError.
 */
export function markConnectionLost<E>(error: E): E {
  if (typeof error === 'object' && error !== null) lostConnections.add(error);
  return error;
}

const serverGoingAway = new Set<string>([SqlState.adminShutdown, SqlState.crashShutdown, SqlState.cannotConnectNow]);

export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (lostConnections.has(error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && connectionErrnos.has(code)) return true;
  const state = sqlState(error);
  if (state && (state.startsWith(SqlStateClass.connectionException) || serverGoingAway.has(state))) return true;
  const errors = (error as { errors?: unknown }).errors; // AggregateError from dual-stack connect
  return Array.isArray(errors) && errors.some(isConnectionError);
}

/**
 * Whether a failed write may be the fault of the rows written rather than of
 * the database or the connection: a data exception, a constraint violation, a
 * program limit, or an error without SQLSTATE that is not a lost connection
 * (e.g. encoding a value). `smx serve` writes such a group commit's requests
 * again apart, so that one request's rows cannot fail the others.
 */
export function mayBeTheRowsFault(error: unknown): boolean {
  if (isConnectionError(error) || isSmxError(error)) return false;
  const state = sqlState(error);
  if (state === undefined) return error instanceof Error;
  const cls = state.slice(0, 2);
  return (
    cls === SqlStateClass.dataException ||
    cls === SqlStateClass.integrityConstraintViolation ||
    cls === SqlStateClass.programLimitExceeded
  );
}

/** A value PostgreSQL refused (SQLSTATE class 22): the rows' fault, and its message names only the value's problem. */
export function isDataException(error: unknown): boolean {
  return sqlState(error)?.startsWith(SqlStateClass.dataException) === true;
}

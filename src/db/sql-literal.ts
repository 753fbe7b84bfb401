import pg from 'pg';

/**
 * A string as an SQL literal, quoted with the driver's own escaping, for the
 * statements that take no bind parameters (COPY (query) TO STDOUT, SET
 * TRANSACTION SNAPSHOT). Everywhere else values go as parameters.
 */
export function sqlLiteral(value: string): string {
  return pg.escapeLiteral(value);
}

/** An instant as a timestamptz literal. */
export function instantLiteral(instant: Date | number): string {
  return `${sqlLiteral(new Date(instant).toISOString())}::timestamptz`;
}

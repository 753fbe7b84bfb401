import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/** A consumer's name inside its group: which machine and process holds a delivery, unique per start. */
export function defaultConsumerName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

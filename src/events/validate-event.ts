/** Checks on what callers hand the bus, so a typo fails loudly instead of creating a stream nobody reads. */
import { usageError } from '../errors.js';
import { eventTypePattern, groupPattern } from './event-bus.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateEventType(type: string): string {
  if (!eventTypePattern.test(type))
    throw usageError(`Event type ${JSON.stringify(type)} is not dotted lower-case words (e.g. drift.detected).`);
  return type;
}

export function validateEventId(id: string): string {
  if (!uuidPattern.test(id)) throw usageError(`Event id ${JSON.stringify(id)} is not a UUID.`);
  return id.toLowerCase();
}

export function validateGroup(group: string): string {
  if (!groupPattern.test(group))
    throw usageError(`Consumer group ${JSON.stringify(group)} must be 1-100 letters, digits or _ . : -.`);
  return group;
}

/**
 * The time library code reads: epoch milliseconds. Commands pass the run
 * context's clock (context.now), tests a fixed or stepped one, so anything
 * that depends on "now" (timestamps written, cooldowns, windows ending now,
 * cache lifetimes kept in process) can be tested at a chosen time. Deadlines
 * for waiting on a lock or a process use the real clock: they bound real waits.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

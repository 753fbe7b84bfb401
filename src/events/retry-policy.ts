/**
 * How often and how late a failing handler is tried again: exponential
 * backoff (base · 2^(attempt-1), capped), then the dead letters after
 * `maxAttempts` tries. Pure, so the contract tests and the docs agree on it.
 */
import { usageError } from '../errors.js';

export interface RetryPolicy {
  /** Tries in all, the first included; the last failure moves the event to the dead letters. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
});

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw usageError(`maxAttempts must be a whole number >= 1; got ${policy.maxAttempts}.`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw usageError(`Retry delays must satisfy 0 <= base (${policy.baseDelayMs}) <= max (${policy.maxDelayMs}).`);
  }
  return policy;
}

/** Delay before try `attempt + 1` after try `attempt` failed. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
}

/** True when the try that just failed was the last one allowed. */
export function isLastAttempt(policy: RetryPolicy, attempt: number): boolean {
  return attempt >= policy.maxAttempts;
}

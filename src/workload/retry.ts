/**
 * Retry policy: how many attempts a job gets when it is interrupted (preempted or its node lost),
 * and how long it waits before the next one. Exponential backoff, capped:
 * wait(attempt) = min(maxSec, initialSec * factor^(attempt-1)).
 */
import { JobState } from './job-state.js';

export interface BackoffPolicy {
  initialSec: number;
  factor: number;
  maxSec: number;
}

export interface RetryPolicy {
  /** Attempts in total, the first included; 1 = never retry. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, backoff: { initialSec: 10, factor: 2, maxSec: 600 } };

/** Seconds to wait before attempt `attempt + 1`, after `attempt` attempts (1-based) were interrupted. */
export function backoffSec(policy: BackoffPolicy, attempt: number): number {
  const exp = Math.max(0, attempt - 1);
  const raw = policy.initialSec * Math.pow(policy.factor, exp);
  return Number.isFinite(raw) ? Math.min(policy.maxSec, raw) : policy.maxSec;
}

export type RetryOutcome = { next: typeof JobState.pending; notBeforeSec: number } | { next: typeof JobState.failed; reason: string };

/**
 * What happens to a job interrupted after `attempts` attempts at time `nowSec`:
 * back to Pending after the backoff, or Failed when the policy has no attempt left.
 */
export function afterInterruption(policy: RetryPolicy, attempts: number, nowSec: number, cause: 'preempted' | 'lost'): RetryOutcome {
  if (attempts >= policy.maxAttempts) {
    return { next: JobState.failed, reason: `${cause} after ${attempts} of ${policy.maxAttempts} attempts; no retry left` };
  }
  return { next: JobState.pending, notBeforeSec: nowSec + backoffSec(policy.backoff, attempts) };
}

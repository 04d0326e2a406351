/**
 * The job lifecycle as one explicit state machine. Every state change in the control plane and the
 * simulator goes through `assertTransition`, so a job can never jump, say, from Pending to Running.
 *
 *   Pending -> Admitted -> Scheduled -> Running -> Succeeded | Failed | Cancelled
 *   Preempted, Lost -> Pending (retry policy allows another attempt, after a backoff) | Failed
 */
import { TesseraError } from '../lib/errors.js';

export const JobState = {
  /** Accepted and waiting: for its backoff to pass, for quota, or for capacity. */
  pending: 'Pending',
  /** Within its tenant's quota; the scheduler may place it. */
  admitted: 'Admitted',
  /** Bound to cards; the agents have been told but have not started it yet. */
  scheduled: 'Scheduled',
  /** The agents report it running. */
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  /** Evicted for a higher-priority job; returns to Pending when its retry policy allows. */
  preempted: 'Preempted',
  /** Its node went silent past the lease; returns to Pending when its retry policy allows. */
  lost: 'Lost',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

export const jobStates: readonly JobState[] = Object.values(JobState);

const S = JobState;
/** Allowed transitions, from -> to. Anything not listed is refused. */
const allowed: Record<JobState, readonly JobState[]> = {
  [S.pending]: [S.admitted, S.cancelled, S.failed],
  // Admitted -> Pending: quota shrank or the job was re-queued before placement.
  [S.admitted]: [S.scheduled, S.pending, S.cancelled, S.failed],
  // Scheduled -> Failed: the agent could not start it (image missing, bad command).
  [S.scheduled]: [S.running, S.succeeded, S.failed, S.cancelled, S.preempted, S.lost],
  [S.running]: [S.succeeded, S.failed, S.cancelled, S.preempted, S.lost],
  [S.preempted]: [S.pending, S.failed, S.cancelled],
  [S.lost]: [S.pending, S.failed, S.cancelled],
  [S.succeeded]: [],
  [S.failed]: [],
  [S.cancelled]: [],
};

export function allowedTransitions(from: JobState): readonly JobState[] {
  return allowed[from];
}

export function canTransition(from: JobState, to: JobState): boolean {
  return allowed[from].includes(to);
}

/** Throws a `conflict` TesseraError when the transition is not allowed. */
export function assertTransition(from: JobState, to: JobState, jobId = ''): void {
  if (!canTransition(from, to)) {
    throw new TesseraError('conflict', `job ${jobId ? `${jobId} ` : ''}cannot go from ${from} to ${to}`, { context: { from, to, jobId } });
  }
}

export function isTerminal(state: JobState): boolean {
  return allowed[state].length === 0;
}

/** States in which a job holds cards. */
export function holdsCards(state: JobState): boolean {
  return state === S.scheduled || state === S.running;
}

/** States from which a user may cancel. */
export function isCancellable(state: JobState): boolean {
  return canTransition(state, S.cancelled);
}

export function isJobState(s: unknown): s is JobState {
  return typeof s === 'string' && (jobStates as readonly string[]).includes(s);
}

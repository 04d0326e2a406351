import { describe, expect, it } from 'vitest';
import { allowedTransitions, assertTransition, canTransition, holdsCards, isCancellable, isTerminal, JobState, jobStates } from './job-state.js';

const S = JobState;
// The full table of allowed transitions; every other pair must be refused.
const expected: [JobState, JobState][] = [
  [S.pending, S.admitted],
  [S.pending, S.cancelled],
  [S.pending, S.failed],
  [S.admitted, S.scheduled],
  [S.admitted, S.pending],
  [S.admitted, S.cancelled],
  [S.admitted, S.failed],
  [S.scheduled, S.running],
  [S.scheduled, S.succeeded],
  [S.scheduled, S.failed],
  [S.scheduled, S.cancelled],
  [S.scheduled, S.preempted],
  [S.scheduled, S.lost],
  [S.running, S.succeeded],
  [S.running, S.failed],
  [S.running, S.cancelled],
  [S.running, S.preempted],
  [S.running, S.lost],
  [S.preempted, S.pending],
  [S.preempted, S.failed],
  [S.preempted, S.cancelled],
  [S.lost, S.pending],
  [S.lost, S.failed],
  [S.lost, S.cancelled],
];

describe('job state machine', () => {
  const allowedSet = new Set(expected.map(([a, b]) => `${a}->${b}`));
  for (const from of jobStates) {
    for (const to of jobStates) {
      const ok = allowedSet.has(`${from}->${to}`);
      it(`${ok ? 'allows' : 'refuses'} ${from} -> ${to}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        if (ok) expect(() => assertTransition(from, to, 'j1')).not.toThrow();
        else expect(() => assertTransition(from, to, 'j1')).toThrow(`job j1 cannot go from ${from} to ${to}`);
      });
    }
  }

  it('has exactly the listed transitions', () => {
    const count = jobStates.reduce((n, s) => n + allowedTransitions(s).length, 0);
    expect(count).toBe(expected.length);
  });

  it('marks terminal, card-holding and cancellable states', () => {
    expect(jobStates.filter(isTerminal).sort()).toEqual([S.cancelled, S.failed, S.succeeded].sort());
    expect(jobStates.filter(holdsCards).sort()).toEqual([S.running, S.scheduled].sort());
    expect(isCancellable(S.running)).toBe(true);
    expect(isCancellable(S.succeeded)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { afterInterruption, backoffSec } from './retry.js';

describe('retry policy', () => {
  const policy = { maxAttempts: 4, backoff: { initialSec: 10, factor: 2, maxSec: 30 } };
  it('backs off exponentially and caps', () => {
    // 10 * 2^0 = 10, 10 * 2^1 = 20, 10 * 2^2 = 40 -> capped at 30
    expect([1, 2, 3].map((a) => backoffSec(policy.backoff, a))).toEqual([10, 20, 30]);
    expect(backoffSec({ initialSec: 1, factor: 10, maxSec: 99 }, 10_000)).toBe(99);
  });
  it('requeues until the attempts run out', () => {
    expect(afterInterruption(policy, 1, 1000, 'lost')).toEqual({ next: 'Pending', notBeforeSec: 1010 });
    expect(afterInterruption(policy, 3, 1000, 'preempted')).toEqual({ next: 'Pending', notBeforeSec: 1030 });
    const out = afterInterruption(policy, 4, 1000, 'preempted');
    expect(out.next).toBe('Failed');
    expect('reason' in out && out.reason).toContain('4 of 4');
  });
});

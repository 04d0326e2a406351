import { describe, expect, it } from 'vitest';
import { RateLimits } from './rate-limits.js';

describe('rate limits', () => {
  it('admits on the estimate and settles on the actual tokens', () => {
    let now = 0;
    const limits = new RateLimits(() => now);
    const subject = [{ id: 'key:a', limits: { tokensPerMin: 1000 } }];
    // Estimate 600 (prompt + max_tokens); the backend reports 100 actually used: 500 come back.
    const first = limits.admit(subject, 600);
    expect(first.ok).toBe(true);
    expect(limits.admit(subject, 600).ok).toBe(false); // 400 left before settling
    first.settle(100);
    expect(limits.admit(subject, 600).ok).toBe(true); // 900 left after settling
    // An under-estimate is paid back: 300 estimated, 1,300 used, so the level goes below zero.
    const second = limits.admit([{ id: 'key:b', limits: { tokensPerMin: 1000 } }], 300);
    second.settle(1300);
    expect(limits.admit([{ id: 'key:b', limits: { tokensPerMin: 1000 } }], 1).ok).toBe(false);
    now = 30_000; // half a minute refills 500: level -300 + 500 = 200
    expect(limits.admit([{ id: 'key:b', limits: { tokensPerMin: 1000 } }], 150).ok).toBe(true);
  });

  it('refuses when either the key or its tenant is out, and says which and for how long', () => {
    const limits = new RateLimits(() => 0);
    const subjects = [
      { id: 'key:a', limits: { requestsPerMin: 2 } },
      { id: 'tenant:t', limits: { requestsPerMin: 1 } },
    ];
    expect(limits.admit(subjects, 1).ok).toBe(true);
    const refused = limits.admit(subjects, 1);
    // The tenant bucket refills 1 per minute: a whole minute until the next request.
    expect(refused.refusedBy).toEqual({ subject: 'tenant:t', limit: 'requestsPerMin', retryAfterMs: 60_000 });
    // The refused request did not spend the key's allowance (rolled back): one of two is left, then none.
    const keyOnly = [{ id: 'key:a', limits: { requestsPerMin: 2 } }];
    expect(limits.admit(keyOnly, 1).ok).toBe(true);
    expect(limits.admit(keyOnly, 1).ok).toBe(false);
  });
});

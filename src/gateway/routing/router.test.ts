import { describe, expect, it } from 'vitest';
import { ReplicaState } from './replica-state.js';
import { Router } from './router.js';

const replica = (id: string, maxBatch: number, ttftMs: number, tpotMs: number): ReplicaState => new ReplicaState({ id, model: 'm', url: 'http://127.0.0.1:1', chip: id, maxBatch, predicted: { ttftMs, tpotMs } });
const req = (sessionKey: string | null = null) => ({ model: 'm', sessionKey, workTokens: 1100, promptTokens: 1000, exclude: new Set<string>() });

describe('router', () => {
  it('spreads work by predicted capacity: a replica with 4x the batch at the same TPOT takes 4x the requests', () => {
    const big = replica('big', 32, 100, 20);
    const small = replica('small', 8, 100, 20);
    const router = new Router({ policy: 'slo', slo: null, affinity: false, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 1e9 });
    for (let i = 0; i < 50; i++) {
      const c = router.choose([big, small], req(), 0)!;
      c.replica.outstanding += 1;
    }
    // Load = (in flight + 1) / (max batch / TPOT): (n + 1) / 1.6 against (m + 1) / 0.4, equal when
    // n + 1 = 4 (m + 1); with n + m = 50 that is 40 and 10 (ties go to the first listed).
    expect(big.outstanding).toBe(40);
    expect(small.outstanding).toBe(10);
  });

  it('passes over a replica whose prefill queue would miss the TTFT objective', () => {
    const big = replica('big', 64, 200, 20);
    const small = replica('small', 8, 200, 20);
    big.pendingPrefillTokens = 9000; // (9000 + 1000) tokens x 0.2 ms = 2000 ms > 1500 ms
    const router = new Router({ policy: 'slo', slo: { ttftMs: 1500, tpotMs: 50 }, affinity: false, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    expect(router.choose([big, small], req(), 0)).toMatchObject({ replica: small, reason: 'slo' });
    big.pendingPrefillTokens = 0;
    expect(router.choose([big, small], req(), 0)).toMatchObject({ replica: big, reason: 'slo' });
  });

  it('skips replicas predicted to miss the SLO, and corrects predictions by observed delivery', () => {
    const fast = replica('fast', 8, 100, 20);
    const slow = replica('slow', 64, 100, 80);
    const router = new Router({ policy: 'slo', slo: { ttftMs: 1000, tpotMs: 50 }, affinity: false, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    expect(router.choose([fast, slow], req(), 0)?.replica.spec.id).toBe('fast');
    // `fast` turns out to deliver 3x slower than predicted (60 ms TPOT > 50 SLO) and `slow` 2x faster (40 ms).
    for (let i = 0; i < 40; i++) {
      for (const [r, tpot] of [[fast, 60], [slow, 40]] as const) {
        const f = r.begin(100, 10, 0);
        r.end(f);
        r.observe(f, null, tpot, 0.2);
      }
    }
    expect(fast.predictedTpotMs()).toBeCloseTo(60, 0);
    expect(router.choose([fast, slow], req(), 0)?.replica.spec.id).toBe('slow');
  });

  it('spreads by capacity as a best effort when no replica is predicted to meet the SLO', () => {
    const a = replica('a', 8, 500, 20);
    const b = replica('b', 8, 300, 20);
    a.outstanding = 2;
    const router = new Router({ policy: 'slo', slo: { ttftMs: 100, tpotMs: 50 }, affinity: false, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    expect(router.choose([a, b], req(), 0)).toMatchObject({ reason: 'best-effort', replica: b });
  });

  it('keeps a session on one replica until that replica is overloaded relative to the rest', () => {
    const rs = ['a', 'b', 'c'].map((id) => replica(id, 8, 50, 20));
    const router = new Router({ policy: 'least-request', slo: null, affinity: true, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    const home = router.choose(rs, req('session-1'), 0)!;
    expect(home.reason).toBe('affinity');
    for (let i = 0; i < 5; i++) expect(router.choose(rs, req('session-1'), 0)!.replica).toBe(home.replica);
    // Load the home replica: 8 in flight against a mean of 8/3; 1.0 > 1.5 * 0.33 + 0.125, so the guard moves the session.
    home.replica.outstanding = 8;
    const moved = router.choose(rs, req('session-1'), 0)!;
    expect(moved.replica).not.toBe(home.replica);
    expect(moved.reason).toBe('least-request');
  });

  it('round-robins, never returns an ejected replica, and prefers replicas not yet tried', () => {
    const rs = ['a', 'b', 'c'].map((id) => replica(id, 8, 50, 20));
    const router = new Router({ policy: 'round-robin', slo: null, affinity: false, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    expect([0, 1, 2, 3].map(() => router.choose(rs, req(), 0)!.replica.spec.id)).toEqual(['a', 'b', 'c', 'a']);
    rs[1]!.ejectedUntilMs = 1000;
    const seen = new Set([0, 1, 2, 3].map(() => router.choose(rs, req(), 500)!.replica.spec.id));
    expect(seen.has('b')).toBe(false);
    expect(router.choose(rs, { ...req(), exclude: new Set(['a']) }, 500)!.replica.spec.id).toBe('c');
    rs[0]!.healthy = false;
    rs[2]!.healthy = false;
    expect(router.choose(rs, req(), 500)).toBeNull();
  });

  it('under SLO routing keeps a session home while its predicted first token is within the affinity slack of the soonest', () => {
    // 1 ms of prefill per prompt token on each replica; the request has 1,000 prompt tokens.
    const rs = ['a', 'b', 'c'].map((id) => replica(id, 8, 1000, 20));
    const router = new Router({ policy: 'slo', slo: { ttftMs: 5000, tpotMs: 50 }, affinity: true, affinityMaxLoadRatio: 1.5, affinityTtftSlackMs: 200, ttftSlackMs: 50 });
    const home = router.choose(rs, req('session-9'), 0)!;
    expect(home.reason).toBe('affinity');
    // 150 ms of queued prefill at home: still within 200 ms of an idle replica, so the session stays.
    home.replica.pendingPrefillTokens = 150;
    expect(router.choose(rs, req('session-9'), 0)).toMatchObject({ replica: home.replica, reason: 'affinity' });
    // 250 ms queued: the prefix cache is not worth that much; the soonest replica takes it.
    home.replica.pendingPrefillTokens = 250;
    const moved = router.choose(rs, req('session-9'), 0)!;
    expect(moved.replica).not.toBe(home.replica);
    expect(moved.reason).toBe('slo');
  });
});

import { describe, expect, it } from 'vitest';
import { ENGINE_LOAD_TTL_MS, ReplicaState } from './replica-state.js';

/** 1 ms of prefill per prompt token, TPOT 10 ms at batch 1 and 20 ms with 4 sequences. */
const replica = (maxBatch: number, kvCapacityTokens?: number): ReplicaState =>
  new ReplicaState({ id: 'r', model: 'm', url: 'http://127.0.0.1:1', chip: 'c', maxBatch, ...(kvCapacityTokens ? { kvCapacityTokens } : {}), predicted: { ttftMs: 1000, tpotMs: 10, tpotMsAtMaxBatch: 20 } });

describe('replica state', () => {
  it('predicts TTFT from the prefill queue ahead of a prompt', () => {
    const r = replica(4);
    expect(r.predictedTtftMs(500, 100, 0)).toBe(500);
    const a = r.begin(300, 100, 0);
    r.begin(200, 100, 0);
    expect(r.predictedTtftMs(500, 100, 0)).toBe(1000);
    // Once a prompt's first token is back it no longer holds the queue.
    r.firstToken(a, 300);
    expect(r.predictedTtftMs(500, 100, 300)).toBe(700);
    // end() and firstToken() are idempotent; the counters never go below zero.
    r.end(a);
    r.end(a);
    r.firstToken(a, 400);
    expect(r.outstanding).toBe(1);
    expect(r.pendingPrefills).toBe(1);
    expect(r.outstandingTokens).toBe(300);
  });

  it('waits for the first booked request expected to finish when the batch is full', () => {
    const r = replica(2);
    const a = r.begin(100, 50, 0); // expected to decode from 100 ms
    const b = r.begin(100, 10, 0); // from 200 ms, after a's prefill
    r.firstToken(a, 100);
    r.firstToken(b, 200);
    // Both decode (batch 2 = full: TPOT 20 ms). b ends at 200 + 10 x 20 = 400, a at 100 + 50 x 20 = 1100.
    expect(r.predictedTtftMs(100, 10, 200)).toBeCloseTo(400 - 200 + 100, 6);
  });

  it('waits for enough KV cache to be freed, and reports a request that can never fit', () => {
    const r = replica(8, 1000);
    const a = r.begin(400, 100, 0);
    const b = r.begin(300, 100, 0);
    r.firstToken(a, 400);
    r.firstToken(b, 700);
    // 900 tokens reserved of 1000; another 300 needs 200 freed. a (500 tokens) decodes first and
    // ends first, at 400 + 100 x TPOT(2): wait from 700 until then, then its own 200 ms prefill.
    const tpot2 = 10 + (10 * 1) / 7;
    expect(r.predictedTtftMs(200, 100, 700)).toBeCloseTo(400 + 100 * tpot2 - 700 + 200, 6);
    // Without the KV limit the same request would start at once.
    expect(replica(8).predictedTtftMs(200, 100, 700)).toBe(200);
    expect(r.predictedTtftMs(900, 200, 700)).toBe(Number.POSITIVE_INFINITY);
  });

  it('learns the prefill speed from requests admitted at once, not from waits for room', () => {
    const r = replica(1);
    // Delivered twice as slow as predicted, admitted at once each time.
    for (let i = 0; i < 30; i++) {
      const f = r.begin(100, 1, 0);
      r.end(f);
      r.observe(f, 200, null, 0.3);
    }
    expect(r.ttftRatio).toBeCloseTo(2, 6);
    expect(r.predictedTtftMs(100, 1, 0)).toBeCloseTo(200, 6);
    // A request that had to wait for the one slot: its long TTFT says nothing of prefill speed.
    const running = r.begin(100, 1000, 0);
    r.firstToken(running, 200);
    const waited = r.begin(100, 1, 200);
    expect(waited.ttftBaseMs).toBeNull();
    r.end(waited);
    r.observe(waited, 20_000, null, 0.3);
    expect(r.ttftRatio).toBeCloseTo(2, 6);
  });

  it('compares TPOT with the batch the request decoded in', () => {
    const r = replica(4);
    const others = [r.begin(10, 100, 0), r.begin(10, 100, 0)];
    for (const o of others) r.firstToken(o, 10);
    const f = r.begin(10, 100, 10);
    // Its decode batch: 2 decoding + itself = 3, so 10 + 10 x 2/3 ms predicted.
    expect(f.tpotBaseMs).toBeCloseTo(10 + 20 / 3, 6);
    r.firstToken(f, 20);
    r.end(f);
    // At its end the others still decode: the prediction there is again batch 3 (2 + 1).
    r.observe(f, null, (10 + 20 / 3) * 1.5, 1);
    expect(r.tpotRatio).toBeCloseTo(1.5, 6);
  });

  it('with chunked prefill, prefills a budget per step, each step as long as the decode when that is longer', () => {
    const chunked = (chunkedPrefillTokens: number): ReplicaState => {
      const r = new ReplicaState({ id: 'r', model: 'm', url: 'http://127.0.0.1:1', chip: 'c', maxBatch: 4, chunkedPrefillTokens, predicted: { ttftMs: 1000, tpotMs: 10, tpotMsAtMaxBatch: 20 } });
      for (const f of [r.begin(10, 100, 0), r.begin(10, 100, 0)]) r.firstToken(f, 20);
      return r;
    };
    // Two sequences decode: a step of them takes 10 + 10 x 1/3 ms; 300 prompt tokens wait.
    const decodeMs = 10 + 10 / 3;
    // Budget 100: 98 prompt tokens per step beside the two decodes, 98 ms each (prefill is the longer), then 6 tokens.
    expect(chunked(100).predictedTtftMs(300, 10, 20)).toBeCloseTo(3 * 98 + decodeMs, 6);
    // Budget 10: 8 tokens per step; the decode is the longer, so 38 steps of it.
    expect(chunked(10).predictedTtftMs(300, 10, 20)).toBeCloseTo(38 * decodeMs, 6);
  });

  it("counts other clients' requests the engine reports, until the report is stale", () => {
    const r = replica(4, 10_000);
    r.firstToken(r.begin(200, 100, 0), 200); // ours: one decoding; sizes 200 + 100
    expect(r.predictedTtftMs(100, 10, 1000)).toBe(100);
    // The engine runs 3 and queues 2: besides ours, 2 running and 2 waiting are someone else's.
    r.noteEngineLoad({ running: 3, waiting: 2 }, 1000);
    expect(r.external(1000)).toEqual({ running: 2, waiting: 2 });
    expect(r.busy(1000)).toBe(5);
    // Their 2 waiting prompts (of the sizes we see, 200 tokens) queue ahead, and the 4 slots are
    // full (1 + 4 others + this one > 4), so this request also waits for a slot.
    expect(r.predictedTtftMs(100, 10, 1000)).toBeGreaterThan(500);
    // A report older than the TTL is not used.
    expect(r.predictedTtftMs(100, 10, 1000 + ENGINE_LOAD_TTL_MS + 1)).toBe(100);
    r.noteEngineLoad(null, 20_000);
    expect(r.external(20_000)).toEqual({ running: 0, waiting: 0 });
  });

  it('with prefix caching, predicts that a session prefills only what its last turn here did not leave cached', () => {
    const r = new ReplicaState({ id: 'r', model: 'm', url: 'http://127.0.0.1:1', chip: 'c', maxBatch: 8, prefixCaching: true, predicted: { ttftMs: 1000, tpotMs: 10 } });
    const f = r.begin(1000, 100, 0, 's1');
    expect(r.predictedTtftMs(1500, 10, 0, 's1')).toBe(1000 + 1500);
    r.firstToken(f, 1000);
    r.end(f);
    // Turn one's 1,000 prompt and 100 answer tokens are cached: 400 of 1,500 are new.
    expect(r.cachedFor('s1', 1500)).toBe(1100);
    expect(r.predictedTtftMs(1500, 10, 1000, 's1')).toBe(400);
    expect(r.predictedTtftMs(1500, 10, 1000, 's2')).toBe(1500);
    // Its booking holds only the new tokens in the prefill queue.
    r.begin(1500, 10, 1000, 's1');
    expect(r.pendingPrefillTokens).toBe(400);
    // A replica that does not cache prefixes predicts the whole prompt.
    const plain = replica(8);
    plain.firstToken(plain.begin(1000, 100, 0, 's1'), 10);
    expect(plain.cachedFor('s1', 1500)).toBe(0);
  });
});


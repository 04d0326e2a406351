import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../replay/virtual-clock.js';
import { ChunkedPrefillEngine } from './chunked-engine.js';
import { explicitTiming } from './timing.js';

describe('chunked-prefill engine', () => {
  it('shares steps between decoding and prompt chunks: a prompt arriving slows the decode, and the other way round', () => {
    // 1 ms of prefill per prompt token, 10 ms per decode step, a step budget of 100 tokens.
    const clock = new VirtualClock();
    const engine = new ChunkedPrefillEngine(explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 1000, tpotMs: 10, maxBatch: 4 }), 100, clock);
    const at: Record<string, number[]> = { a: [], b: [] };
    const done: string[] = [];
    engine.submit({ promptTokens: 50, outputTokens: 3, onToken: () => at.a!.push(clock.now), onDone: () => done.push('a') });
    clock.after(55, () => engine.submit({ promptTokens: 150, outputTokens: 2, onToken: () => at.b!.push(clock.now), onDone: () => done.push('b') }));
    clock.run();
    // a: prefilled alone (0-50), decodes 50-60, then shares a step with 99 tokens of b's prompt,
    // which lasts the longer of the two (99 ms of prefill against 10 of decode): 60-159.
    expect(at.a).toEqual([50, 60, 159]);
    // b: the rest of its prompt (51 tokens) alone, 159-210, then one decode step.
    expect(at.b).toEqual([210, 220]);
    expect(done).toEqual(['a', 'b']);
    expect(engine.stats()).toEqual({ running: 0, waiting: 0, kvUsedTokens: 0, completed: 2 });
  });

  it('admits by batch slots and KV cache, and frees both on cancel', () => {
    const clock = new VirtualClock();
    const engine = new ChunkedPrefillEngine(explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 1000, tpotMs: 10, maxBatch: 1, kvCapacityTokens: 500 }), 1000, clock);
    const first: number[] = [];
    const a = engine.submit({ promptTokens: 100, outputTokens: 100, onToken: (i) => i === 0 && first.push(clock.now), onDone: () => undefined });
    engine.submit({ promptTokens: 100, outputTokens: 1, onToken: (i) => i === 0 && first.push(clock.now), onDone: () => undefined });
    expect(engine.stats()).toMatchObject({ running: 1, waiting: 1, kvUsedTokens: 200 });
    expect(engine.fits(400, 101)).toBe(false);
    clock.after(300, () => a.cancel());
    clock.run();
    // a's first token at 100; b waits for the slot until a is cancelled at 300, then prefills 300-400.
    expect(first).toEqual([100, 400]);
    expect(engine.stats()).toMatchObject({ running: 0, waiting: 0, kvUsedTokens: 0, completed: 1 });
  });
});

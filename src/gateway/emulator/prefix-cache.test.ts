import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../replay/virtual-clock.js';
import { EmulatedEngine } from './engine.js';
import { PrefixCache } from './prefix-cache.js';
import { explicitTiming } from './timing.js';

describe('prefix cache', () => {
  it('returns at most the prompt of what a session has cached, and evicts the least recently used within its budget', () => {
    const c = new PrefixCache(1000);
    c.store('a', 400);
    c.store('b', 500);
    expect(c.hit('a', 1000)).toBe(400);
    expect(c.hit('a', 100)).toBe(100);
    expect(c.hit(null, 100)).toBe(0);
    // 'b' is now the least recently used: storing 'c' pushes it out.
    c.store('c', 300);
    expect(c.hit('b', 1000)).toBe(0);
    expect(c.hit('a', 1000)).toBe(400);
    expect(c.hit('c', 1000)).toBe(300);
    // A sequence longer than the whole budget keeps only the budget.
    c.store('d', 5000);
    expect(c.hit('d', 9000)).toBe(1000);
    expect(c.hit('a', 1000)).toBe(0);
  });

  it("lets an engine prefill only a session's new tokens on its next turn", () => {
    const clock = new VirtualClock();
    const engine = new EmulatedEngine(explicitTiming({ ttftMs: 0, prefillMsPer1kTokens: 1000, tpotMs: 1, maxBatch: 4 }), clock, { prefixCacheTokens: 100_000 });
    const first: number[] = [];
    const turn = (prompt: number, key: string): void => {
      const at = clock.now;
      engine.submit({ promptTokens: prompt, outputTokens: 10, prefixKey: key, onToken: (i) => i === 0 && first.push(clock.now - at), onDone: () => undefined });
    };
    turn(1000, 's1');
    clock.run();
    // Turn two resends turn one (1,000 prompt + 10 answer tokens) and adds 200: only those 200 are
    // prefilled. Another session's 1,210 tokens, arriving 100 ms later, wait for that and go in full.
    clock.after(0, () => turn(1210, 's1'));
    clock.after(100, () => turn(1210, 's2'));
    clock.run();
    expect(first).toEqual([1000, 200, 100 + 1210]);
  });
});

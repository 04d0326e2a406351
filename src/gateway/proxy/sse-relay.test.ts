import { describe, expect, it } from 'vitest';
import { SseRelay } from './sse-relay.js';

const ev = (obj: unknown): string => `data: ${JSON.stringify(obj)}\n\n`;

describe('SSE relay', () => {
  it('forwards whole events at once and holds only an unfinished one', () => {
    const relay = new SseRelay(false);
    const a = ev({ choices: [{ delta: { content: 'a' } }] });
    const b = ev({ choices: [{ delta: { content: 'b' } }] });
    expect(relay.push(Buffer.from(a + b.slice(0, 10)))).toBe(a);
    expect(relay.push(Buffer.from(b.slice(10)))).toBe(b);
    expect(relay.chunks).toBe(2);
  });

  it('keeps a CJK character that a network chunk splits in two', () => {
    const relay = new SseRelay(false);
    const e = Buffer.from(ev({ choices: [{ delta: { content: '中文' } }] }));
    const cut = e.indexOf(Buffer.from('中')) + 1; // inside the 3-byte character
    expect(relay.push(e.subarray(0, cut))).toBe('');
    expect(relay.push(e.subarray(cut))).toBe(e.toString('utf8'));
  });

  it("reads usage from the final chunk and drops it when the gateway asked on the client's behalf", () => {
    const relay = new SseRelay(true);
    const usage = ev({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } });
    expect(relay.push(Buffer.from(usage + 'data: [DONE]\n\n'))).toBe('data: [DONE]\n\n');
    expect(relay.usage).toEqual({ promptTokens: 7, completionTokens: 3 });
    expect(relay.sawDone).toBe(true);
    const keep = new SseRelay(false);
    expect(keep.push(Buffer.from(usage))).toBe(usage);
  });
});

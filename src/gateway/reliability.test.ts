import { afterEach, describe, expect, it } from 'vitest';
import { validateGatewayConfig } from './config/index.js';
import type { RunningEmulator } from './emulator/index.js';
import { Gateway } from './server/index.js';
import { chat, emulator, post } from './test-helpers.js';
import { seededRng } from '../lib/rng.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function gatewayOver(emus: RunningEmulator[], extra: Record<string, unknown> = {}): Promise<{ gw: Gateway; url: string }> {
  for (const e of emus) cleanup.push(() => e.kill());
  const config = validateGatewayConfig({ replicas: emus.map((e, i) => ({ id: `r${i}`, model: 'm1', url: e.url, chip: `chip-${i}`, maxBatch: 64 })), ...extra });
  const gw = new Gateway(config, { healthChecks: false });
  const { url } = await gw.listen(0);
  cleanup.push(() => gw.close());
  return { gw, url };
}

/** Reads an SSE body to its end; resolves with the text (a hang would trip the test timeout). */
async function drain(r: Response): Promise<string> {
  return r.text();
}

describe('reliability', () => {
  it('ends a stream with an error event when its backend is killed mid-stream, then routes new requests elsewhere', async () => {
    const a = await emulator('chip-a', { tpotMs: 20 });
    const b = await emulator('chip-b', { tpotMs: 20 });
    const { url } = await gatewayOver([a, b], { routing: { policy: 'round-robin', affinity: false }, health: { ejectAfterFailures: 1, ejectMs: 60_000 } });
    const r = await post(`${url}/v1/chat/completions`, chat('hi', { stream: true, max_tokens: 200 }));
    expect(r.status).toBe(200);
    const victim = r.headers.get('x-tessera-replica') === 'r0' ? a : b;
    const reader = r.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    await victim.kill();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"code":"upstream_stream_broken"');
    expect(rest).not.toContain('[DONE]');
    const survivor = victim === a ? 'r1' : 'r0';
    for (let i = 0; i < 4; i++) {
      const n = await post(`${url}/v1/chat/completions`, chat());
      expect(n.status).toBe(200);
      expect(n.headers.get('x-tessera-replica')).toBe(survivor);
    }
  });

  it('loses no request silently among 2,000 with random backend failures', async () => {
    const rng = seededRng(7).next;
    const faults = { errorRate: 0.1, abortRate: 0.05, random: rng };
    const emus = [await emulator('a', { ttftMs: 0, tpotMs: 0, maxBatch: 64 }, faults), await emulator('b', { ttftMs: 0, tpotMs: 0, maxBatch: 64 }, faults), await emulator('c', { ttftMs: 0, tpotMs: 0, maxBatch: 64 }, faults)];
    // Ejection off (a huge threshold): every replica fails at random, and we want retries, not an empty pool.
    const { url, gw } = await gatewayOver(emus, { routing: { policy: 'least-request', retries: 3 }, health: { ejectAfterFailures: 1000 } });
    const total = 2000;
    const outcome = { full: 0, clearError: 0, silentLoss: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const stream = i % 2 === 0;
        const r = await post(`${url}/v1/chat/completions`, chat(`request ${i}`, { stream, max_tokens: 5 }));
        const text = await drain(r);
        if (r.status !== 200) {
          const ok = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
          if (ok) outcome.clearError++;
          else outcome.silentLoss++;
        } else if (stream) {
          const events = text.split('\n\n').filter((e) => e !== '');
          if (text.includes('"error"')) outcome.clearError++;
          else if (events.length === 6 && events[5] === 'data: [DONE]') outcome.full++;
          else outcome.silentLoss++;
        } else {
          const j = JSON.parse(text) as { usage?: { completion_tokens: number } };
          if (j.usage?.completion_tokens === 5) outcome.full++;
          else outcome.silentLoss++;
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(outcome.silentLoss).toBe(0);
    expect(outcome.full + outcome.clearError).toBe(total);
    // With 3 retries over a 15% failure rate, almost every request should complete in full.
    expect(outcome.full).toBeGreaterThan(total * 0.9);
    // Every full answer was accounted once, from the backend's own usage.
    const rows = gw.usage().rows;
    expect(rows.reduce((acc, r) => acc + r.requests - r.errors, 0)).toBe(outcome.full);
    expect(rows.reduce((acc, r) => acc + r.completionTokens, 0)).toBeGreaterThanOrEqual(outcome.full * 5);
  }, 60_000);

  it('refuses a malformed body and an oversized prompt with OpenAI-style 4xx before touching a backend', async () => {
    const e = await emulator('a');
    const { url, gw } = await gatewayOver([e], { limits: { maxPromptTokens: 1000 } });
    const cases: [unknown, number, string][] = [
      ['not json', 400, 'invalid_json'],
      [[1, 2], 400, 'invalid_json'],
      [{ model: 'm1', messages: 'hi' }, 400, 'missing_required_parameter'],
      [{ model: 'm1', messages: [{ role: 'user', content: 'x' }], max_tokens: -1 }, 400, 'invalid_value'],
      [{ model: 'm1', messages: [{ role: 'user', content: 'x'.repeat(8000) }] }, 400, 'context_length_exceeded'],
    ];
    for (const [body, status, code] of cases) {
      const r = await post(`${url}/v1/chat/completions`, body);
      expect(r.status).toBe(status);
      const j = (await r.json()) as { error: { type: string; code: string; message: string } };
      expect(j.error.type).toBe('invalid_request_error');
      expect(j.error.code).toBe(code);
    }
    expect(gw.replicas()[0]?.served).toBe(0);
  });
});

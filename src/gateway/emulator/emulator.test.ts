import { afterEach, describe, expect, it } from 'vitest';
import { explicitTiming, startEmulator, type RunningEmulator } from './index.js';

const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
});

async function emu(params: Partial<Parameters<typeof explicitTiming>[0]> = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ model: 'm1', chip: 'nvidia-h20', timing: explicitTiming({ ttftMs: 1, tpotMs: 1, maxBatch: 4, ...params }), nowSec: () => 1700000000 });
  running.push(e);
  return e;
}

const post = (url: string, body: unknown): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('emulator', () => {
  it('serves the same API on the chunked-prefill engine', async () => {
    const e = await startEmulator({ model: 'm1', chip: 'nvidia-h20', timing: explicitTiming({ ttftMs: 1, tpotMs: 1, maxBatch: 4 }), nowSec: () => 1700000000, chunkedPrefillTokens: 256 });
    running.push(e);
    const rs = await Promise.all([5, 3, 7].map((n) => post(`${e.url}/v1/chat/completions`, { model: 'm1', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: n })));
    const usage = await Promise.all(rs.map(async (r) => ((await r.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage));
    expect(usage.map((u) => u.completion_tokens)).toEqual([5, 3, 7]);
    expect(usage.every((u) => u.prompt_tokens === 100)).toBe(true);
    expect(e.engine.stats()).toMatchObject({ running: 0, waiting: 0, kvUsedTokens: 0, completed: 3 });
  });

  it('answers a chat completion with the requested number of tokens and usage', async () => {
    const e = await emu();
    const r = await post(`${e.url}/v1/chat/completions`, { model: 'm1', messages: [{ role: 'user', content: 'abcdefgh' }], max_tokens: 5 });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { choices: { message: { content: string } }[]; usage: Record<string, number> };
    // 'abcdefgh' = 8 ASCII chars = 2 tokens; 5 output tokens are 5 words.
    expect(j.usage).toEqual({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
    expect(j.choices[0]?.message.content).toBe('the quick brown fox jumps');
  });

  it('streams one SSE chunk per token, then usage when asked, then [DONE]', async () => {
    const e = await emu();
    const r = await post(`${e.url}/v1/completions`, { model: 'm1', prompt: 'hi', max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const events = (await r.text()).split('\n\n').filter((x) => x !== '');
    expect(events).toHaveLength(5);
    expect(events[4]).toBe('data: [DONE]');
    const usage = JSON.parse(events[3]!.slice(6)) as { usage: { completion_tokens: number } };
    expect(usage.usage.completion_tokens).toBe(3);
  });

  it('queues requests beyond the batch limit and the KV-cache capacity', async () => {
    // KV 100 tokens; each request reserves 1 + 40 = 41, so two run and the third waits.
    const e = await emu({ tpotMs: 5, maxBatch: 8, kvCapacityTokens: 100 });
    const reqs = [1, 2, 3].map(() => post(`${e.url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 40 }));
    while (e.engine.stats().running + e.engine.stats().waiting < 3) await new Promise((r) => setTimeout(r, 2));
    const s = e.engine.stats();
    expect(s.running).toBe(2);
    expect(s.waiting).toBe(1);
    expect(s.kvUsedTokens).toBe(82);
    const done = await Promise.all(reqs);
    expect(done.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(e.engine.stats()).toMatchObject({ running: 0, waiting: 0, kvUsedTokens: 0, completed: 3 });
  });

  it('refuses a request that can never fit with an OpenAI-style 400', async () => {
    const e = await emu({ kvCapacityTokens: 50 });
    const r = await post(`${e.url}/v1/completions`, { model: 'm1', prompt: 'x'.repeat(400), max_tokens: 10 });
    expect(r.status).toBe(400);
    const j = (await r.json()) as { error: { code: string; type: string } };
    expect(j.error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error' });
  });

  it('rejects malformed bodies and unknown models in OpenAI error shape', async () => {
    const e = await emu();
    const bad = await post(`${e.url}/v1/chat/completions`, '{"model":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: 'invalid_json' } });
    const noMsg = await post(`${e.url}/v1/chat/completions`, { model: 'm1' });
    expect(((await noMsg.json()) as { error: { param: string } }).error.param).toBe('messages');
    const other = await post(`${e.url}/v1/chat/completions`, { model: 'nope', messages: [{ role: 'user', content: 'x' }] });
    expect(other.status).toBe(404);
  });

  it('serves embeddings and lists its model with chip and timing source', async () => {
    const e = await emu();
    const r = await post(`${e.url}/v1/embeddings`, { model: 'm1', input: ['a', 'b'] });
    const j = (await r.json()) as { data: { embedding: number[] }[] };
    expect(j.data).toHaveLength(2);
    expect(j.data[0]?.embedding).toHaveLength(8);
    const models = (await (await fetch(`${e.url}/v1/models`)).json()) as { data: { id: string; tessera: { chip: string; timing: string } }[] };
    expect(models.data[0]).toMatchObject({ id: 'm1', tessera: { chip: 'nvidia-h20', timing: 'explicit' } });
  });
});

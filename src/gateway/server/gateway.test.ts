import { afterEach, describe, expect, it } from 'vitest';
import { validateGatewayConfig } from '../config/index.js';
import type { RunningEmulator } from '../emulator/index.js';
import { chat, emulator, post } from '../test-helpers.js';
import { Gateway } from './gateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(emus: RunningEmulator[], extra: Record<string, unknown> = {}, chips?: string[]): Promise<{ gw: Gateway; url: string }> {
  for (const e of emus) cleanup.push(() => e.kill());
  const config = validateGatewayConfig({
    replicas: emus.map((e, i) => ({ id: `r${i}`, model: 'm1', url: e.url, chip: chips?.[i] ?? `chip-${i}`, maxBatch: 8 })),
    ...extra,
  });
  const gw = new Gateway(config, { healthChecks: false });
  const { url } = await gw.listen(0);
  cleanup.push(() => gw.close());
  return { gw, url };
}

describe('gateway', () => {
  it('proxies a chat completion and says which replica and chip served it', async () => {
    const { url, gw } = await setup([await emulator('nvidia-h20')], { prices: { 'nvidia-h20': 10 } }, ['nvidia-h20']);
    const r = await post(`${url}/v1/chat/completions`, chat('abcdefgh'));
    expect(r.status).toBe(200);
    expect(r.headers.get('x-tessera-replica')).toBe('r0');
    expect(r.headers.get('x-tessera-chip')).toBe('nvidia-h20');
    expect(Number(r.headers.get('x-tessera-gateway-ms'))).toBeGreaterThanOrEqual(0);
    const j = (await r.json()) as { usage: { completion_tokens: number } };
    expect(j.usage.completion_tokens).toBe(4);
    // Accounting from the backend's usage: 2 prompt + 4 completion tokens.
    const u = gw.usage();
    expect(u.rows).toEqual([{ tenant: 'anonymous', model: 'm1', chip: 'nvidia-h20', requests: 1, errors: 0, promptTokens: 2, completionTokens: 4 }]);
    expect(u.chips[0]).toMatchObject({ chip: 'nvidia-h20', replicas: 1, tokens: 6, priceCnyPerHour: 10 });
  });

  it('streams chunks through and keeps the usage chunk the client did not ask for out of its stream', async () => {
    const { url, gw } = await setup([await emulator('c')]);
    const r = await post(`${url}/v1/chat/completions`, chat('hi', { stream: true, max_tokens: 3 }));
    const text = await r.text();
    const events = text.split('\n\n').filter((x) => x !== '');
    expect(events).toHaveLength(4); // 3 tokens + [DONE]
    expect(text).not.toContain('"usage"');
    expect(gw.usage().rows[0]).toMatchObject({ completionTokens: 3, promptTokens: 1 });
    const withUsage = await (await post(`${url}/v1/chat/completions`, chat('hi', { stream: true, max_tokens: 3, stream_options: { include_usage: true } }))).text();
    expect(withUsage).toContain('"completion_tokens":3');
  });

  it('answers errors in OpenAI shape: bad JSON, unknown model, oversized prompt, unknown path', async () => {
    const { url } = await setup([await emulator('c')], { limits: { maxPromptTokens: 100, maxBodyBytes: 10_000 } });
    const bad = await post(`${url}/v1/chat/completions`, '{oops');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const unknown = await post(`${url}/v1/chat/completions`, { ...chat(), model: 'nope' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { param: string } }).error.param).toBe('model');
    // 800 ASCII chars = 200 tokens > 100.
    const long = await post(`${url}/v1/chat/completions`, chat('x'.repeat(800)));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' } });
    const huge = await post(`${url}/v1/chat/completions`, chat('x'.repeat(20_000)));
    expect(huge.status).toBe(413);
    const nowhere = await fetch(`${url}/v2/else`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it('authenticates tenant keys and enforces requests per minute per key', async () => {
    const tenants = [{ id: 'acme', keys: [{ key: 'sk-acme-0001', limits: { requestsPerMin: 2 } }] }];
    const { url } = await setup([await emulator('c')], { tenants });
    expect((await post(`${url}/v1/chat/completions`, chat())).status).toBe(401);
    expect((await post(`${url}/v1/chat/completions`, chat(), { authorization: 'Bearer wrong-key-123' })).status).toBe(401);
    const auth = { authorization: 'Bearer sk-acme-0001' };
    expect((await post(`${url}/v1/chat/completions`, chat(), auth)).status).toBe(200);
    expect((await post(`${url}/v1/chat/completions`, chat(), auth)).status).toBe(200);
    const third = await post(`${url}/v1/chat/completions`, chat(), auth);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).not.toBeNull();
    expect(await third.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'requests_rate_limit_exceeded' } });
  });

  it('limits tokens per minute per tenant, admitting on the estimate', async () => {
    // Each request estimates 1 prompt + 100 max tokens = 101; 250 per minute admits two.
    const tenants = [{ id: 't', limits: { tokensPerMin: 250 }, keys: [{ key: 'sk-t-00000001' }] }];
    const { url } = await setup([await emulator('c')], { tenants });
    const auth = { authorization: 'Bearer sk-t-00000001' };
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 100 }, auth)).status);
    expect(codes).toEqual([200, 200, 429]);
  });

  it('sheds low priority before high priority under overload', async () => {
    // Capacity 1 (max batch 1) x queueFactor 2 = 2 in flight; low is shed at 50% (1), high at 150% (3).
    const slow = await emulator('c', { ttftMs: 300, maxBatch: 1 });
    const tenants = [
      { id: 'batch', priority: 'low', keys: [{ key: 'sk-low-00001' }] },
      { id: 'prod', priority: 'high', keys: [{ key: 'sk-high-0001' }] },
    ];
    for (const e of [slow]) cleanup.push(() => e.kill());
    const config = validateGatewayConfig({ replicas: [{ id: 'r0', model: 'm1', url: slow.url, chip: 'c', maxBatch: 1 }], tenants, overload: { queueFactor: 2, shedAt: { low: 0.5, high: 1.5 } } });
    const gw = new Gateway(config, { healthChecks: false });
    const { url } = await gw.listen(0);
    cleanup.push(() => gw.close());
    const first = post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, { authorization: 'Bearer sk-high-0001' });
    while (gw.replicas()[0]?.outstanding !== 1) await new Promise((r) => setTimeout(r, 2));
    const low = await post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, { authorization: 'Bearer sk-low-00001' });
    expect(low.status).toBe(503);
    expect(await low.json()).toMatchObject({ error: { code: 'overloaded' } });
    const high = await post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, { authorization: 'Bearer sk-high-0001' });
    expect(high.status).toBe(200);
    expect((await first).status).toBe(200);
  });

  it("keeps one tenant's overload from shedding another tenant's requests to its own replicas", async () => {
    const [a, b] = [await emulator('c', { ttftMs: 300, maxBatch: 1 }), await emulator('c', { maxBatch: 1 })];
    for (const e of [a, b]) cleanup.push(() => e.kill());
    const tenants = ['acme', 'globex'].map((id) => ({ id, keys: [{ key: `sk-${id}-000001` }] }));
    const replicas = [
      { id: 'ra', model: 'm1', url: a.url, chip: 'c', maxBatch: 1, tenant: 'acme' },
      { id: 'rb', model: 'm1', url: b.url, chip: 'c', maxBatch: 1, tenant: 'globex' },
    ];
    // One request in flight per pool at most (capacity 1 x queueFactor 1).
    const gw = new Gateway(validateGatewayConfig({ replicas, tenants, overload: { queueFactor: 1 } }), { healthChecks: false });
    const { url } = await gw.listen(0);
    cleanup.push(() => gw.close());
    const as = (t: string) => ({ authorization: `Bearer sk-${t}-000001` });
    const busy = post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, as('acme'));
    while (gw.replicas()[0]?.outstanding !== 1) await new Promise((r) => setTimeout(r, 2));
    expect((await post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, as('acme'))).status).toBe(503);
    expect((await post(`${url}/v1/completions`, { model: 'm1', prompt: 'x', max_tokens: 1 }, as('globex'))).status).toBe(200);
    expect((await busy).status).toBe(200);
  });

  it('retries a replica that refuses connections or answers 5xx, and ejects it', async () => {
    const dead = await emulator('dead');
    await dead.kill();
    const failing = await emulator('failing', {}, { errorRate: 1 });
    const good = await emulator('good');
    const { url, gw } = await setup([dead, failing, good], { routing: { policy: 'round-robin', affinity: false, retries: 2 }, health: { ejectAfterFailures: 2, ejectMs: 60_000 } }, ['dead', 'failing', 'good']);
    for (let i = 0; i < 6; i++) {
      const r = await post(`${url}/v1/chat/completions`, chat());
      expect(r.status).toBe(200);
      expect(r.headers.get('x-tessera-chip')).toBe('good');
    }
    const views = gw.replicas();
    expect(views.find((v) => v.id === 'r0')?.ejected).toBe(true);
    expect(views.find((v) => v.id === 'r1')?.ejected).toBe(true);
  });

  it('marks a replica unhealthy on a failed health check and says 503 when none is left', async () => {
    const e = await emulator('c');
    const { url, gw } = await setup([e]);
    await e.kill();
    await gw.checkAll();
    expect(gw.replicas()[0]?.healthy).toBe(false);
    const r = await post(`${url}/v1/chat/completions`, chat());
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: { code: 'no_healthy_replica' } });
    expect((await fetch(`${url}/health`)).status).toBe(503);
  });

  it('lists models, and protects admin endpoints and Prometheus metrics with the admin key', async () => {
    const { url } = await setup([await emulator('c')], { adminKey: 'admin-secret-1' }, ['nvidia-l20']);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string; tessera: { chips: string[] } }[] };
    expect(models.data).toEqual([expect.objectContaining({ id: 'm1', tessera: { chips: ['nvidia-l20'] } })]);
    expect((await fetch(`${url}/admin/usage`)).status).toBe(403);
    expect((await fetch(`${url}/admin/usage`, { headers: { authorization: 'Bearer admin-secret-1' } })).status).toBe(200);
    expect((await post(`${url}/v1/chat/completions`, chat('abcdefgh'))).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(403);
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer admin-secret-1' } })).text();
    expect(metrics).toContain('tessera_gateway_requests_total{model="m1",chip="nvidia-l20",status="200"} 1');
    // 'abcdefgh' is 2 prompt tokens; max_tokens 4.
    expect(metrics).toContain('tessera_gateway_tokens_total{tenant="anonymous",model="m1",chip="nvidia-l20",kind="completion"} 4');
    expect(metrics).toContain('tessera_gateway_replica_up{replica="r0",chip="nvidia-l20",model="m1"} 1');
  });

  it('reloads its config: new replicas and keys apply at once, kept replicas keep their state', async () => {
    const a = await emulator('a');
    const b = await emulator('b');
    const { url, gw } = await setup([a], {}, ['chip-a']);
    expect((await post(`${url}/v1/chat/completions`, chat())).status).toBe(200);
    const tenants = [{ id: 't', keys: [{ key: 'sk-reload-001' }] }];
    gw.reload(validateGatewayConfig({ replicas: [{ id: 'r0', model: 'm1', url: a.url, chip: 'chip-a', maxBatch: 8 }, { id: 'r9', model: 'm1', url: b.url, chip: 'chip-b', maxBatch: 8 }], tenants, routing: { policy: 'round-robin', affinity: false } }));
    expect((await post(`${url}/v1/chat/completions`, chat())).status).toBe(401);
    const auth = { authorization: 'Bearer sk-reload-001' };
    const chips = new Set<string>();
    for (let i = 0; i < 4; i++) chips.add((await post(`${url}/v1/chat/completions`, chat(), auth)).headers.get('x-tessera-chip') ?? '');
    expect([...chips].sort()).toEqual(['chip-a', 'chip-b']);
    expect(gw.replicas().find((r) => r.id === 'r0')?.served).toBe(3);
  });

  it('proxies embeddings and accounts their prompt tokens', async () => {
    const { url, gw } = await setup([await emulator('c')]);
    const r = await post(`${url}/v1/embeddings`, { model: 'm1', input: ['abcd', 'efghijkl'] });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { data: unknown[] }).data).toHaveLength(2);
    // 1 + 2 tokens (4 characters per token), no completion.
    expect(gw.usage().rows[0]).toMatchObject({ promptTokens: 3, completionTokens: 0 });
  });

  it("routes a tenant's keys only to its own services' replicas and counts traffic per service", async () => {
    const [a, b, shared] = [await emulator('chip-a'), await emulator('chip-b'), await emulator('chip-s', {}, undefined, 'm2')];
    for (const e of [a, b, shared]) cleanup.push(() => e.kill());
    const keys = (id: string) => ({ id, keys: [{ key: `sk-${id}-12345678` }] });
    const gw = new Gateway(
      validateGatewayConfig({
        replicas: [
          { id: 'ra', model: 'm1', url: a.url, chip: 'chip-a', service: 'svc-a', tenant: 'acme' },
          { id: 'rb', model: 'm1', url: b.url, chip: 'chip-b', service: 'svc-b', tenant: 'globex' },
          { id: 'rs', model: 'm2', url: shared.url, chip: 'chip-s' },
        ],
        tenants: [keys('acme'), keys('globex'), keys('initech')],
      }),
      { healthChecks: false, sloFor: (service) => (service === 'svc-a' ? { ttftMs: 10_000 } : null) },
    );
    const { url } = await gw.listen(0);
    cleanup.push(() => gw.close());
    const as = (tenant: string) => ({ authorization: `Bearer sk-${tenant}-12345678` });
    for (let i = 0; i < 4; i++) {
      expect((await post(`${url}/v1/chat/completions`, chat(), as('acme'))).headers.get('x-tessera-replica')).toBe('ra');
      expect((await post(`${url}/v1/chat/completions`, chat(), as('globex'))).headers.get('x-tessera-replica')).toBe('rb');
    }
    // A tenant without a service of m1 does not see the others': the model does not exist for it.
    const stranger = await post(`${url}/v1/chat/completions`, chat(), as('initech'));
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
    const models = async (tenant: string) => ((await (await fetch(`${url}/v1/models`, { headers: as(tenant) })).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(await models('initech')).toEqual(['m2']);
    expect(await models('acme')).toEqual(['m1', 'm2']);
    // Replicas outside any tenant serve every key.
    expect((await post(`${url}/v1/chat/completions`, { ...chat(), model: 'm2' }, as('initech'))).status).toBe(200);
    const rows = gw.drainServiceTraffic();
    const per = (service: string) => rows.filter((r) => r.service === service).reduce((n, r) => n + r.requests, 0);
    expect([per('svc-a'), per('svc-b'), per('')]).toEqual([4, 4, 1]);
    // Each service is judged against its own objective: only svc-a has one.
    expect(rows.filter((r) => r.service === 'svc-a').reduce((n, r) => n + r.sloJudged, 0)).toBe(4);
    expect(rows.filter((r) => r.service === 'svc-b').reduce((n, r) => n + r.sloJudged, 0)).toBe(0);
    // Demand per service, in the planner's size cells, for the store (the leader's autoscaler plans on it).
    const demand = gw.drainDemand();
    const asked = (service: string) => demand.filter((d) => d.service === service).flatMap((d) => d.cells).reduce((n, c) => n + c.n, 0);
    expect([asked('svc-a'), asked('svc-b'), asked('')]).toEqual([4, 4, 1]);
    expect(gw.drainDemand()).toEqual([]);
    // The autoscaler sees each tenant's own arrivals, or all of them.
    expect(gw.recentTraffic('m1', 60_000, 'acme')).toHaveLength(4);
    expect(gw.recentTraffic('m1', 60_000)).toHaveLength(8);
  });

  it("routes around the load other clients put on a replica, as the engine reports it", async () => {
    const [a, b] = [await emulator('c', { tpotMs: 20, maxBatch: 8 }), await emulator('c', { tpotMs: 20, maxBatch: 8 })];
    for (const e of [a, b]) cleanup.push(() => e.kill());
    const replicas = [a, b].map((e, i) => ({ id: `r${i}`, model: 'm1', url: e.url, chip: 'c', maxBatch: 8, predicted: { ttftMs: 1, tpotMs: 20 } }));
    const gw = new Gateway(validateGatewayConfig({ replicas, routing: { policy: 'slo', affinity: false } }), { healthChecks: false });
    const { url } = await gw.listen(0);
    cleanup.push(() => gw.close());
    // Another client (a second gateway, say) keeps 6 long requests on r0: 200 tokens at 20 ms each.
    const theirs = Array.from({ length: 6 }, () => post(`${a.url}/v1/chat/completions`, chat('x', { max_tokens: 200 })));
    for (let i = 0; i < 100 && a.engine.stats().running < 6; i++) await new Promise((r) => setTimeout(r, 10));
    expect(a.engine.stats().running).toBe(6);
    await gw.checkAll();
    expect(gw.replicas().map((r) => [r.id, r.outstanding, r.others])).toEqual([['r0', 0, 6], ['r1', 0, 0]]);
    for (let i = 0; i < 3; i++) expect((await post(`${url}/v1/chat/completions`, chat())).headers.get('x-tessera-replica')).toBe('r1');
    for (const r of await Promise.all(theirs)) await r.text();
  }, 20_000);
});


/**
 * The serving path end to end on 127.0.0.1, all real servers: a control plane in demo mode whose
 * simulated agents start an emulated engine per inference replica, the embedded gateway following
 * the running replicas, and the autoscaler applying the serving planner's mix through the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { expandFleet, type FleetDoc } from '../fleet/index.js';
import { httpEndpointFetcher } from '../gateway/index.js';
import { loadHighs } from '../sched/lp/index.js';
import { Autoscaler } from './autoscaler.js';
import { startControlPlane, type RunningControlPlane } from './control-plane.js';

const fleetDoc: FleetDoc = {
  name: 'serving-test',
  clusters: [{ id: 'c1' }],
  nodeGroups: [
    { id: 'h20', cluster: 'c1', chip: 'nvidia-h20', servers: 1, cardsPerServer: 8 },
    { id: 'l20', cluster: 'c1', chip: 'nvidia-l20', servers: 1, cardsPerServer: 8 },
  ],
} as FleetDoc;

const MODEL = 'qwen2.5-7b';
const ADMIN = 'admin-secret-serving-test';
let plane: RunningControlPlane;
let dir: string;
let member: string;
let serviceId: string;

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token = ADMIN): Promise<T> {
  const res = await fetch(`${plane.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function chat(maxTokens = 8, prompt = 'Say hello.'): Promise<{ status: number; replica: string | null; chip: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens }),
  });
  return { status: res.status, replica: res.headers.get('x-tessera-replica'), chip: res.headers.get('x-tessera-chip'), body: (await res.json()) as Record<string, unknown> };
}

type Endpoint = { jobId: string; chip: string; url: string | null; simulated: boolean | null };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-serving-'));
  const catalog = builtinCatalog();
  plane = await startControlPlane({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    catalog,
    fleet: expandFleet(fleetDoc),
    demo: true,
    demoWorkload: false,
    adminToken: ADMIN,
    loopThread: 'main',
    intervalMs: 100,
    config: { heartbeatIntervalSec: 0.2, nodeLeaseSec: 30 },
    gateway: { port: 0, pollMs: 100 },
  });
  const sys = { id: 'test', role: 'system' as const };
  await plane.store.upsertTenant({ id: 'acme' }, sys);
  member = (await plane.store.createToken({ name: 'acme-dev', role: 'member', tenant: 'acme' }, sys)).secret;
  const svc = await api<{ id: string }>('POST', '/api/v1/services', { name: 'chat', model: { name: MODEL }, replicas: 0, slo: { ttftMsP99: 2000, tpotMsP99: 100 }, chips: { kind: 'any-of', chips: ['nvidia-h20', 'nvidia-l20'] } }, member);
  serviceId = svc.id;
}, 60_000);

afterAll(async () => {
  await plane?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving through the control plane', () => {
  let endpoints: Endpoint[] = [];

  it('serves a service with replicas on two chip types through /v1/chat/completions, naming replica and chip', async () => {
    await api('PATCH', `/api/v1/services/${serviceId}`, { mix: { 'nvidia-h20': 1, 'nvidia-l20': 1 } }, member);
    endpoints = await until('two replica endpoints', async () => {
      const view = await api<{ endpoints: Endpoint[] }>('GET', `/api/v1/services/${serviceId}`, undefined, member);
      const ready = view.endpoints.filter((e) => e.url !== null);
      return ready.length === 2 ? ready : null;
    });
    expect(endpoints.map((e) => e.chip).sort()).toEqual(['nvidia-h20', 'nvidia-l20']);
    expect(endpoints.every((e) => e.simulated === true && /^http:\/\/127\.0\.0\.1:\d+$/.test(e.url ?? ''))).toBe(true);
    // Real agents report endpoints over the API; a node-bound agent token speaks only for its own node's replicas.
    const h20 = endpoints.find((e) => e.chip === 'nvidia-h20')!;
    const sys = { id: 'test', role: 'system' as const };
    const own = (await plane.store.createToken({ name: 'agent-h20', role: 'agent', nodeId: 'h20-0' }, sys)).secret;
    const other = (await plane.store.createToken({ name: 'agent-l20', role: 'agent', nodeId: 'l20-0' }, sys)).secret;
    const report = (token: string, attempt: number): Promise<Response> => fetch(`${plane.url}/api/v1/agent/replicas/${h20.jobId}/endpoint`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ attempt, url: h20.url, simulated: true }) });
    expect((await report(other, 1)).status).toBe(403);
    expect((await report(own, 2)).status).toBe(409);
    expect((await report(own, 1)).status).toBe(200);
    expect((await fetch(`${plane.url}/api/v1/agent/replicas/${h20.jobId}/endpoint`, { method: 'PUT', headers: { authorization: `Bearer ${own}`, 'content-type': 'application/json' }, body: JSON.stringify({ attempt: 1, url: 'not a url' }) })).status).toBe(400);
    // A standalone gateway (`tessera gateway --control-plane`) sees the same replicas over HTTP.
    const overHttp = await httpEndpointFetcher(plane.url, member)();
    expect(overHttp.map((e) => [e.jobId, e.chip, e.url, e.model]).sort()).toEqual(endpoints.map((e) => [e.jobId, e.chip, e.url, MODEL]).sort());
    await until('the gateway to follow both replicas', async () => plane.gateway!.gateway.replicas().length === 2);
    const r = await chat();
    expect(r.status).toBe(200);
    const served = endpoints.find((e) => e.jobId === r.replica);
    expect(served).toBeDefined();
    expect(r.chip).toBe(served?.chip);
    expect((r.body.usage as { completion_tokens: number }).completion_tokens).toBe(8);
    // A wrong key gets OpenAI's error shape, not a stack trace.
    const bad = await fetch(`${plane.gatewayUrl}/v1/models`, { headers: { authorization: 'Bearer nope-nope-nope' } });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    // Another tenant's key does not reach this tenant's replicas: for it the model does not exist.
    const outsider = (await plane.store.createToken({ name: 'outsider', role: 'member', tenant: 'default' }, { id: 'test', role: 'system' })).secret;
    const foreign = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${outsider}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }) });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
    // Staff (an admin token) reach every tenant's services.
    const staff = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }) });
    expect(staff.status).toBe(200);
    // The gateway's replica and usage views are for the control plane's staff, not for members.
    expect((await fetch(`${plane.gatewayUrl}/admin/replicas`, { headers: { authorization: `Bearer ${member}` } })).status).toBe(403);
    const admin = await fetch(`${plane.gatewayUrl}/admin/replicas`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(((await admin.json()) as { replicas: { chip: string }[] }).replicas.map((r) => r.chip).sort()).toEqual(['nvidia-h20', 'nvidia-l20']);
  }, 60_000);

  it('moves traffic off a killed replica, and stores usage per tenant, model and chip', async () => {
    const first = await chat();
    const victim = endpoints.find((e) => e.jobId === first.replica)!;
    const survivor = endpoints.find((e) => e.jobId !== first.replica)!;
    await plane.emulators!.kill(victim.jobId);
    for (let i = 0; i < 6; i++) {
      const r = await chat();
      expect(r.status).toBe(200);
      expect(r.replica).toBe(survivor.jobId);
      expect(r.chip).toBe(survivor.chip);
    }
    await plane.gateway!.flush();
    const usage = await api<{ tokens: { tenant: string; model: string; chip: string; requests: number; completionTokens: number; promptTokens: number }[] }>('GET', '/api/v1/usage', undefined, member);
    const rows = usage.tokens.filter((t) => t.tenant === 'acme' && t.model === MODEL);
    expect(rows.find((t) => t.chip === survivor.chip)?.completionTokens).toBeGreaterThanOrEqual(6 * 8);
    expect(rows.reduce((a, t) => a + t.requests, 0)).toBeGreaterThanOrEqual(8);
    expect(rows.every((t) => t.promptTokens > 0)).toBe(true);
  }, 60_000);

  it('stores traffic, TTFT/TPOT and SLO attainment per chip and shows them on the service', async () => {
    const survivor = (await chat()).chip!;
    for (let i = 0; i < 4; i++) expect((await chat(16)).status).toBe(200);
    await plane.gateway!.flush();
    type Figures = { requests: number; errors: number; requestsPerSec: number; p95TtftMs: number | null; p95TpotMs: number | null; sloAttainment: number | null; sloJudged: number };
    const t = await api<{ model: string; slo: { ttftMsP99: number; tpotMsP99: number }; windowMin: number; total: Figures; perChip: (Figures & { chip: string })[]; series: (Figures & { minuteMs: number })[] }>('GET', `/api/v1/services/${serviceId}/traffic?windowMin=10`, undefined, member);
    expect(t.model).toBe(MODEL);
    expect(t.slo).toEqual({ ttftMsP99: 2000, tpotMsP99: 100 });
    expect(t.series).toHaveLength(10);
    // Every request of the earlier tests and this one (at least 13) went through the gateway; the killed replica's were retried, not lost.
    expect(t.total.requests).toBeGreaterThanOrEqual(13);
    expect(t.total.errors).toBe(0);
    expect(t.series.reduce((a, m) => a + m.requests, 0)).toBe(t.total.requests);
    expect(t.perChip.reduce((a, c) => a + c.requests, 0)).toBe(t.total.requests);
    const chip = t.perChip.find((c) => c.chip === survivor)!;
    expect(chip.requests).toBeGreaterThanOrEqual(11);
    expect(chip.requestsPerSec).toBeGreaterThan(0);
    expect(chip.p95TpotMs).not.toBeNull();
    expect(chip.p95TtftMs).not.toBeNull();
    // Each successful request is judged against the service's SLO; the emulated engines answer well inside 2 s and 100 ms per token.
    expect(chip.sloJudged).toBe(chip.requests);
    expect(chip.sloAttainment).toBe(1);
    // A tenant that does not own the service cannot read its traffic.
    const sys = { id: 'test', role: 'system' as const };
    await plane.store.upsertTenant({ id: 'other' }, sys);
    const stranger = (await plane.store.createToken({ name: 'other-dev', role: 'member', tenant: 'other' }, sys)).secret;
    expect((await fetch(`${plane.url}/api/v1/services/${serviceId}/traffic`, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
    expect((await fetch(`${plane.url}/api/v1/services/${serviceId}/traffic?windowMin=0`, { headers: { authorization: `Bearer ${member}` } })).status).toBe(400);
  }, 60_000);

  it('scales up under a burst and back down after, with events explaining each step', async () => {
    let nowMs = Date.now();
    const decisions: string[] = [];
    const scaler = new Autoscaler(plane.store, builtinCatalog(), plane.gateway!.gateway, await loadHighs(), {
      windowSec: 2,
      services: [serviceId],
      prices: new Map([['nvidia-h20', 12], ['nvidia-l20', 5]]),
      policy: { minReplicas: 1, maxReplicas: 8, upCooldownSec: 0, downCooldownSec: 5, downStableSec: 5 },
      now: () => nowMs,
      onDecision: (_id, action, reason) => decisions.push(`${action}: ${reason}`),
    });
    // A second control plane on standby (not holding the scheduling lease) must not act.
    const standbyDecisions: string[] = [];
    const standby = new Autoscaler(plane.store, builtinCatalog(), plane.gateway!.gateway, await loadHighs(), {
      windowSec: 2,
      services: [serviceId],
      prices: new Map([['nvidia-h20', 12], ['nvidia-l20', 5]]),
      policy: { minReplicas: 1, maxReplicas: 8, upCooldownSec: 0 },
      acting: () => false,
      onDecision: (_id, action) => standbyDecisions.push(action),
    });
    const live = async (): Promise<number> => (await api<{ replicas: unknown[] }>('GET', `/api/v1/services/${serviceId}`, undefined, member)).replicas.length;
    const prompt = 'word '.repeat(800);
    const initial = await live();
    // Plan while the burst is in flight: the gateway counts requests as they arrive.
    const burst = Promise.all(Array.from({ length: 40 }, () => chat(64, prompt)));
    await until('the burst to arrive', async () => plane.gateway!.gateway.recentTraffic(MODEL, 2000).length >= 40);
    await standby.tick();
    expect(standbyDecisions).toEqual([]);
    expect(await live()).toBe(initial);
    await scaler.tick();
    const done = await burst;
    expect(done.filter((r) => r.status !== 200).map((r) => [r.status, r.body])).toEqual([]);
    const before = await live();
    expect(before).toBeGreaterThan(2);
    const events = async (): Promise<{ type: string; data: Record<string, unknown> }[]> => (await api<{ items: { type: string; subject: string; data: Record<string, unknown> }[] }>('GET', '/api/v1/events?limit=1000', undefined, ADMIN)).items.filter((e) => e.type === 'service.autoscaled' && (e as { subject: string }).subject === serviceId);
    const up = (await events()).find((e) => e.data.action === 'up');
    expect(up?.data.reason).toMatch(/traffic needs/);
    expect((up?.data.observed as { requests: number }).requests).toBeGreaterThanOrEqual(40);
    // The burst is over once it leaves the 2 s window; the smaller mix must then hold for 5 s.
    await until('the burst to leave the window', async () => plane.gateway!.gateway.recentTraffic(MODEL, 2000).length === 0);
    await scaler.tick();
    expect(decisions.at(-1)).toMatch(/^hold: .*waiting/);
    expect(await live()).toBe(before);
    nowMs += 6000;
    await scaler.tick();
    expect(decisions.at(-1)).toMatch(/^down: /);
    expect(await live()).toBe(1);
    const down = (await events()).find((e) => e.data.action === 'down');
    expect(down?.data.reason).toMatch(/only 1x/);
  }, 90_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minimalJob, testPlane, type TestPlane } from './test-support.js';

describe('control plane API', () => {
  let p: TestPlane;
  beforeEach(async () => {
    p = await testPlane();
  });
  afterEach(async () => p.close());

  const post = (url: string, token: string, payload: unknown, headers: Record<string, string> = {}) => p.app.inject({ method: 'POST', url, headers: { ...p.auth(token), ...headers }, payload: payload as object });
  const get = (url: string, token: string, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url, headers: { ...p.auth(token), ...headers } });

  it('accepts the minimal submission with 201 and an id, and lists with items and total', async () => {
    const res = await post('/api/v1/jobs', p.tokens.admin, minimalJob);
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job.id).toMatch(/^job-/);
    expect(job.state).toBe('Pending');
    await post('/api/v1/jobs', p.tokens.admin, minimalJob);
    const list = await get('/api/v1/jobs?limit=1&offset=1', p.tokens.admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0].id).toBe(job.id);
  });

  it('answers 401 without or with a bad token', async () => {
    expect((await p.app.inject({ method: 'GET', url: '/api/v1/jobs' })).statusCode).toBe(401);
    expect((await get('/api/v1/jobs', 'tsk_nope')).statusCode).toBe(401);
    expect((await get('/api/v1/jobs', p.tokens.admin)).statusCode).toBe(200);
  });

  it('answers 400 naming the failing field paths, 413 for huge bodies, 422 for unknown chips', async () => {
    const bad = await post('/api/v1/jobs', p.tokens.admin, { name: 'x', kind: 'nope', command: [], resources: { count: 0 }, extra: 1 });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/kind', '/command', '/resources/count']));
    const json = await p.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: { ...p.auth(p.tokens.admin), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_input');
    const huge = await post('/api/v1/jobs', p.tokens.admin, { ...minimalJob, env: { BIG: 'x'.repeat(2_000_000) } });
    expect(huge.statusCode).toBe(413);
    const chip = await post('/api/v1/jobs', p.tokens.admin, { ...minimalJob, resources: { count: 1, chips: { kind: 'pinned', chip: 'no-such-chip' } } });
    expect(chip.statusCode).toBe(422);
    expect(chip.json().message).toContain('/resources/chips/chip');
    const alias = await post('/api/v1/jobs', p.tokens.admin, { ...minimalJob, resources: { count: 1, chips: { kind: 'pinned', chip: 'ppu' } } });
    expect(alias.statusCode).toBe(201);
    expect(alias.json().spec.resources.chips.chip).toBe('thead-ppu');
    expect((await get('/api/v1/jobs?limit=0', p.tokens.admin)).statusCode).toBe(400);
    expect((await get('/api/v1/jobs?state=Bogus', p.tokens.admin)).statusCode).toBe(400);
    expect((await get('/api/v1/nope', p.tokens.admin)).statusCode).toBe(404);
  });

  it('makes submission idempotent with Idempotency-Key', async () => {
    const a = await post('/api/v1/jobs', p.tokens.alice, minimalJob, { 'idempotency-key': 'abc' });
    const b = await post('/api/v1/jobs', p.tokens.alice, minimalJob, { 'idempotency-key': 'abc' });
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json().id).toBe(a.json().id);
    const c = await post('/api/v1/jobs', p.tokens.alice, { ...minimalJob, name: 'y' }, { 'idempotency-key': 'abc' });
    expect(c.statusCode).toBe(409);
    expect((await get('/api/v1/jobs', p.tokens.alice)).json().total).toBe(1);
  });

  it('keeps tenants apart: a member cannot read, cancel, explain, list or infer another tenant’s jobs', async () => {
    const mine = (await post('/api/v1/jobs', p.tokens.alice, minimalJob)).json();
    expect(mine.tenant).toBe('alice-co');
    for (const url of [`/api/v1/jobs/${mine.id}`, `/api/v1/jobs/${mine.id}/explain`, `/api/v1/jobs/${mine.id}/logs`]) {
      const r = await get(url, p.tokens.bob);
      expect(r.statusCode).toBe(404);
      // Same answer as for an id that does not exist: nothing to infer.
      expect(r.json().message).toBe(`job ${mine.id} not found`);
    }
    expect((await post(`/api/v1/jobs/${mine.id}/cancel`, p.tokens.bob, {})).statusCode).toBe(404);
    expect((await p.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${mine.id}`, headers: p.auth(p.tokens.bob) })).statusCode).toBe(404);
    expect((await get('/api/v1/jobs', p.tokens.bob)).json()).toEqual({ items: [], total: 0 });
    expect((await get('/api/v1/jobs?tenant=alice-co', p.tokens.bob)).statusCode).toBe(403);
    expect((await post('/api/v1/jobs', p.tokens.bob, { ...minimalJob, tenant: 'alice-co' })).statusCode).toBe(403);
    const events = (await get('/api/v1/events', p.tokens.bob)).json().items;
    expect(events.some((e: { subject: string }) => e.subject === mine.id)).toBe(false);
    expect((await get('/api/v1/usage?tenant=alice-co', p.tokens.bob)).statusCode).toBe(403);
    // Still there, untouched, for its owner and for staff.
    expect((await get(`/api/v1/jobs/${mine.id}`, p.tokens.alice)).json().state).toBe('Pending');
    expect((await get(`/api/v1/jobs/${mine.id}`, p.tokens.operator)).statusCode).toBe(200);
    expect((await post(`/api/v1/jobs/${mine.id}/cancel`, p.tokens.alice, { reason: 'done' })).json().state).toBe('Cancelled');
  });

  it('keeps agent tokens off user endpoints and user tokens off the agent protocol', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/jobs'],
      ['POST', '/api/v1/jobs'],
      ['GET', '/api/v1/tenants'],
      ['GET', '/api/v1/events'],
      ['POST', '/api/v1/tokens'],
    ] as const) {
      const r = await p.app.inject({ method, url, headers: p.auth(p.tokens.agent), ...(method === 'POST' ? { payload: minimalJob } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
    const reg = { protocolVersion: 1, node: { id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: [{ index: 0 }] } };
    expect((await post('/api/v1/agent/register', p.tokens.admin, reg)).statusCode).toBe(403);
    expect((await post('/api/v1/agent/register', p.tokens.agent, { ...reg, node: { ...reg.node, id: 'n2' } })).statusCode).toBe(403);
    expect((await post('/api/v1/agent/register', p.tokens.agent, reg)).statusCode).toBe(200);
    expect((await post('/api/v1/agent/register', p.tokens.agent, { ...reg, protocolVersion: 2 })).statusCode).toBe(422);
  });

  it('lets only admins manage tokens and tenants, and audits who did what', async () => {
    expect((await post('/api/v1/tokens', p.tokens.alice, { name: 't', role: 'admin' })).statusCode).toBe(403);
    expect((await post('/api/v1/tokens', p.tokens.operator, { name: 't', role: 'admin' })).statusCode).toBe(403);
    const created = await post('/api/v1/tokens', p.tokens.admin, { name: 'carol', role: 'member', tenant: 'alice-co' });
    expect(created.statusCode).toBe(201);
    const secret = created.json().secret as string;
    expect((await get('/api/v1/jobs', secret)).statusCode).toBe(200);
    expect(JSON.stringify((await get('/api/v1/tokens', p.tokens.admin)).json())).not.toContain(secret);
    expect((await post('/api/v1/tokens', p.tokens.admin, { name: 'm', role: 'member' })).statusCode).toBe(422);
    expect((await post('/api/v1/tenants', p.tokens.admin, { id: 'new-co', quota: { '*': 4, h20: 2 } })).json().quota).toEqual({ '*': 4, 'nvidia-h20': 2 });
    expect((await post('/api/v1/tenants', p.tokens.admin, { id: 'new-co' })).statusCode).toBe(409);
    expect((await get('/api/v1/tenants', p.tokens.alice)).json().items.map((t: { id: string }) => t.id)).toEqual(['alice-co']);
    expect((await get('/api/v1/tenants/bob-co', p.tokens.alice)).statusCode).toBe(404);
    const audit = (await get('/api/v1/audit', p.tokens.admin)).json().items;
    expect(audit.find((a: { action: string }) => a.action === 'tenant.created' && true)?.actor).toBeDefined();
    expect(audit.find((a: { subject: string }) => a.subject === 'new-co')?.actor).toMatch(/^tok-/);
    expect((await p.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.json().id}`, headers: p.auth(p.tokens.admin) })).statusCode).toBe(204);
    expect((await get('/api/v1/jobs', secret)).statusCode).toBe(401);
  });

  it('publishes OpenAPI 3, a self-contained docs page, metrics and health', async () => {
    const doc = (await p.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/jobs', '/api/v1/jobs/{id}/explain', '/api/v1/events', '/api/v1/agent/heartbeat']));
    expect(doc.paths['/api/v1/jobs'].post.requestBody.content['application/json'].schema.properties.resources).toBeDefined();
    const html = (await p.app.inject({ method: 'GET', url: '/api/docs' })).body;
    expect(html).toContain('openapi.json');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    await get('/api/v1/jobs', p.tokens.admin);
    const metrics = (await p.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const name of ['tessera_queue_depth', 'tessera_allocated_cards', 'tessera_scheduling_cycle_seconds', 'tessera_decisions_total', 'tessera_http_request_duration_seconds', 'tessera_agent_heartbeat_age_max_seconds']) expect(metrics).toContain(name);
    expect(metrics).toContain('route="/api/v1/jobs"');
    expect((await p.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await p.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

/**
 * The agent protocol over real HTTP (a small in-test client) together with the scheduling loop:
 * register, heartbeat, assignment, acknowledgement, running, logs, exit; lost nodes; the leader lease;
 * quotas; service replicas.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchedulingLoop } from './sched-loop.js';
import { minimalJob, testPlane, type TestPlane } from './test-support.js';

class AgentClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
    readonly nodeId: string,
  ) {}
  async call(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.base}/api/v1/agent${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  register(cards: number, chip = 'nvidia-h20') {
    return this.call('/register', { protocolVersion: 1, node: { id: this.nodeId, cluster: 'c1', chip, devices: Array.from({ length: cards }, (_, i) => ({ index: i, uuid: `GPU-${i}` })), stacks: ['cuda'] } });
  }
  heartbeat(running: string[] = []) {
    return this.call('/heartbeat', { protocolVersion: 1, nodeId: this.nodeId, devices: [{ index: 0, utilPct: 12.5, tempC: 40, powerW: 120, healthy: true }], running });
  }
}

describe('agent protocol and scheduling loop', () => {
  let p: TestPlane;
  let t: number;
  let base: string;
  beforeEach(async () => {
    t = 1_800_000_000_000;
    p = await testPlane({ now: () => t, config: { nodeLeaseSec: 30 } });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => p.close());

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id: string; state: string } };
  };

  it('delivers an assignment, takes the acknowledgement, running, logs and exit reports', async () => {
    const agent = new AgentClient(base, p.tokens.agent, 'n1');
    const reg = await agent.register(2);
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ nodeId: 'n1', heartbeatIntervalSec: 5, nodeLeaseSec: 30, protocolVersion: 1 });
    const job = (await api('POST', '/api/v1/jobs', p.tokens.alice, { ...minimalJob, env: { A: '1' }, images: { cuda: 'cuda:12' } })).body;
    const report = await p.loop.cycle();
    expect(report).toMatchObject({ leader: true, admitted: 1, binds: 1 });
    const hb = await agent.heartbeat(['job-stale']);
    const assignments = hb.body.assignments as Record<string, unknown>[];
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({ jobId: job.id, attempt: 1, chip: 'nvidia-h20', image: 'cuda:12', nodeRank: 0, acknowledged: false });
    expect((assignments[0]!.env as Record<string, string>).A).toBe('1');
    expect(hb.body.stop).toEqual(['job-stale']);
    expect((await agent.call(`/assignments/${job.id}/ack`, { nodeId: 'n1', attempt: 1 })).status).toBe(200);
    expect((await agent.call(`/assignments/${job.id}/ack`, { nodeId: 'n1', attempt: 7 })).status).toBe(409);
    expect((await agent.call(`/jobs/${job.id}/status`, { nodeId: 'n1', attempt: 1, state: 'running' })).body.state).toBe('Running');
    expect((await agent.call(`/jobs/${job.id}/logs`, { nodeId: 'n1', attempt: 1, chunks: [{ seq: 1, stream: 'stdout', text: 'hello\n' }] })).body.stored).toBe(1);
    t += 10_000;
    expect((await agent.call(`/jobs/${job.id}/status`, { nodeId: 'n1', attempt: 1, state: 'succeeded', exitCode: 0 })).body.state).toBe('Succeeded');
    const done = (await api('GET', `/api/v1/jobs/${job.id}`, p.tokens.alice)).body;
    expect(done).toMatchObject({ state: 'Succeeded', exitCode: 0, placements: [] });
    const logs = (await api('GET', `/api/v1/jobs/${job.id}/logs`, p.tokens.alice)).body;
    expect((logs.items as { text: string }[]).map((l) => l.text)).toEqual(['hello\n']);
    // A report for a finished attempt tells the agent to stop; it changes nothing.
    expect((await agent.call(`/jobs/${job.id}/status`, { nodeId: 'n1', attempt: 1, state: 'failed', exitCode: 1 })).body).toMatchObject({ state: 'Succeeded', stop: true });
    const usage = (await api('GET', '/api/v1/usage', p.tokens.alice)).body.items as { cardSec: number }[];
    expect(usage[0]?.cardSec).toBe(10);
  });

  it('explains why a job waits, per plugin', async () => {
    await new AgentClient(base, p.tokens.agent, 'n1').register(1);
    await api('POST', '/api/v1/jobs', p.tokens.admin, minimalJob);
    await p.loop.cycle();
    const second = (await api('POST', '/api/v1/jobs', p.tokens.admin, minimalJob)).body;
    await p.loop.cycle();
    const ex = (await api('GET', `/api/v1/jobs/${second.id}/explain`, p.tokens.admin)).body;
    expect(ex.state).toBe('Admitted');
    const reasons = ex.reasons as { plugin: string; reason: string }[];
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r.plugin.length > 0 && r.reason.length > 0)).toBe(true);
    // A pinned chip the fleet does not have is refused outright by the engine.
    const never = (await api('POST', '/api/v1/jobs', p.tokens.admin, { ...minimalJob, resources: { count: 1, chips: { kind: 'pinned', chip: 'ascend-910b' } } })).body;
    await p.loop.cycle();
    const after = (await api('GET', `/api/v1/jobs/${never.id}`, p.tokens.admin)).body;
    expect(['Failed', 'Admitted']).toContain(after.state);
  });

  it('marks a silent node Lost and requeues its work with backoff', async () => {
    const agent = new AgentClient(base, p.tokens.agent, 'n1');
    await agent.register(1);
    const job = (await api('POST', '/api/v1/jobs', p.tokens.admin, minimalJob)).body;
    await p.loop.cycle();
    await agent.call(`/jobs/${job.id}/status`, { nodeId: 'n1', attempt: 1, state: 'running' });
    t += 31_000;
    const report = await p.loop.cycle();
    expect(report.lost).toBe(1);
    const after = (await api('GET', `/api/v1/jobs/${job.id}`, p.tokens.admin)).body;
    expect(after.state).toBe('Pending');
    expect(after.notBeforeMs).toBe(t + 10_000);
    expect((await api('GET', '/api/v1/nodes/n1', p.tokens.admin)).body.state).toBe('Lost');
    // The node comes back; the agent still runs the old attempt and is told to stop it.
    const hb = await agent.heartbeat([job.id]);
    expect(hb.body.stop).toEqual([job.id]);
    t += 10_000;
    await p.loop.cycle();
    expect((await api('GET', `/api/v1/jobs/${job.id}`, p.tokens.admin)).body).toMatchObject({ state: 'Scheduled', attempt: 2 });
  });

  it('lets one loop lead per database; the other stands by and takes over when the lease ends', async () => {
    const standby = new SchedulingLoop({ store: p.store, catalog: null, metrics: p.ctx.metrics, log: p.app.log, holder: 'standby', now: () => t });
    expect((await p.loop.cycle()).leader).toBe(true);
    expect((await standby.cycle()).leader).toBe(false);
    t += 60_000;
    expect((await standby.cycle()).leader).toBe(true);
    expect((await p.loop.cycle()).leader).toBe(false);
  });

  it('admits within tenant quotas and explains the rest', async () => {
    await new AgentClient(base, p.tokens.agent, 'n1').register(2);
    await api('PUT', '/api/v1/tenants/alice-co', p.tokens.admin, { quota: { '*': 1 } });
    const a = (await api('POST', '/api/v1/jobs', p.tokens.alice, minimalJob)).body;
    const b = (await api('POST', '/api/v1/jobs', p.tokens.alice, minimalJob)).body;
    await p.loop.cycle();
    const states = await Promise.all([a, b].map(async (j) => (await api('GET', `/api/v1/jobs/${j.id}`, p.tokens.alice)).body.state));
    expect([...states].sort()).toEqual(['Pending', 'Scheduled']);
    const waiting = states[0] === 'Pending' ? a : b;
    const ex = (await api('GET', `/api/v1/jobs/${waiting.id}/explain`, p.tokens.alice)).body;
    expect((ex.reasons as { plugin: string; reason: string }[])[0]).toMatchObject({ plugin: 'tenant-quota' });
  });

  it('keeps an inference service at its replica count', async () => {
    await new AgentClient(base, p.tokens.agent, 'n1').register(2);
    const svc = (await api('POST', '/api/v1/services', p.tokens.alice, { name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 2, slo: { ttftMsP99: 800 } })).body;
    expect((svc.replicas as unknown[]).length).toBe(2);
    await p.loop.cycle();
    const replicas = (await api('GET', `/api/v1/jobs?service=${svc.id}`, p.tokens.alice)).body.items as { id: string }[];
    await api('POST', `/api/v1/jobs/${replicas[0]!.id}/cancel`, p.tokens.alice, {});
    const report = await p.loop.cycle();
    expect(report.replicasCreated).toBe(1);
    expect((await api('GET', `/api/v1/services/${svc.id}`, p.tokens.alice)).body.replicas).toHaveLength(2);
    const scaled = (await api('PATCH', `/api/v1/services/${svc.id}`, p.tokens.alice, { replicas: 3 })).body;
    expect((scaled.spec as { replicas: number }).replicas).toBe(3);
    expect((await p.loop.cycle()).replicasCreated).toBe(1);
    expect((await api('PATCH', `/api/v1/services/${svc.id}`, p.tokens.bob, { replicas: 0 })).status).toBe(404);
    expect((await api('GET', `/api/v1/services/${svc.id}`, p.tokens.bob)).status).toBe(404);
  });

  it('streams events over SSE and resumes after Last-Event-ID', async () => {
    await api('POST', '/api/v1/jobs', p.tokens.alice, minimalJob);
    const read = async (headers: Record<string, string>, want: number): Promise<{ id: number; type: string }[]> => {
      const ac = new AbortController();
      const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${p.tokens.alice}`, accept: 'text/event-stream', ...headers }, signal: ac.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      const events: { id: number; type: string }[] = [];
      while (events.length < want) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const b of blocks) {
          const data = b.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)));
        }
      }
      ac.abort();
      return events;
    };
    // alice-co's history so far: tenant created, her token created, her job submitted.
    const first = await read({}, 3);
    expect(first.map((e) => e.type)).toEqual(['tenant.created', 'token.created', 'job.submitted']);
    const second = (await api('POST', '/api/v1/jobs', p.tokens.alice, minimalJob)).body;
    const resumed = await read({ 'last-event-id': String(first[2]!.id) }, 1);
    expect(resumed[0]).toMatchObject({ type: 'job.submitted', subject: second.id });
    expect(resumed[0]!.id).toBeGreaterThan(first[2]!.id);
  });
});

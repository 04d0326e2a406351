/**
 * The agent protocol for multi-node jobs, over the HTTP routes: rank 0's address, per-rank logs,
 * completion only when every rank exits 0, the first failure fails the job and stops the other
 * ranks with a reason, heartbeat counters stored on the node.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJobSpec } from '../workload/index.js';
import { rendezvousPort } from './rendezvous.js';
import { testPlane, type TestPlane } from './test-support.js';

const sys = { id: 'test', role: 'system' as const };

describe('multi-node jobs over the agent protocol', () => {
  let p: TestPlane;
  let agentToken: string;
  beforeEach(async () => {
    p = await testPlane();
    agentToken = (await p.store.createToken({ name: 'any-node', role: 'agent' }, sys)).secret;
  });
  afterEach(async () => p.close());

  const call = async (path: string, body: unknown) => {
    const r = await p.app.inject({ method: 'POST', url: `/api/v1/agent${path}`, headers: p.auth(agentToken), payload: body as object });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> & { state: string } };
  };
  const register = (id: string, labels: Record<string, string> = {}) =>
    call('/register', { protocolVersion: 1, node: { id, cluster: 'c1', chip: 'nvidia-h20', devices: [{ index: 0 }, { index: 1 }], stacks: ['cuda'], labels } });
  const heartbeat = (nodeId: string, running: string[] = [], extra: Record<string, unknown> = {}) => call('/heartbeat', { protocolVersion: 1, nodeId, running, ...extra });
  const status = (jobId: string, nodeId: string, body: Record<string, unknown>) => call(`/jobs/${jobId}/status`, { nodeId, attempt: 1, ...body });

  /** A two-node job bound to n0 (rank 0) and n1 (rank 1), both running. */
  async function gang(labels: Record<string, string> = {}): Promise<string> {
    const { job } = await p.store.submitJob(parseJobSpec({ name: 'ddp', kind: 'training', command: ['python', 'train.py'], resources: { count: 4 }, tenant: 'alice-co', labels }), { actor: sys });
    await p.store.admitJobs([{ id: job.id, version: job.version }], sys);
    const r = await p.store.applyDecisions(
      [{ kind: 'bind', jobId: job.id, chip: 'nvidia-h20', placements: [{ nodeId: 'n0', devices: [0, 1], milliPerDevice: 1000 }, { nodeId: 'n1', devices: [0, 1], milliPerDevice: 1000 }] }],
      { actor: sys, versions: {} },
    );
    expect(r.applied).toHaveLength(1);
    for (const n of ['n0', 'n1']) expect((await status(job.id, n, { state: 'running' })).status).toBe(200);
    return job.id;
  }

  beforeEach(async () => {
    expect((await register('n0', { 'tessera.io/address': '10.0.0.7' })).status).toBe(200);
    expect((await register('n1')).status).toBe(200);
  });

  it("tells every rank rank 0's registered address and one port", async () => {
    const id = await gang();
    const a0 = ((await heartbeat('n0')).body.assignments as Record<string, unknown>[])[0]!;
    const a1 = ((await heartbeat('n1')).body.assignments as Record<string, unknown>[])[0]!;
    expect([a0.nodeRank, a1.nodeRank]).toEqual([0, 1]);
    expect(a0.masterAddr).toBe('10.0.0.7');
    expect(a1.masterAddr).toBe('10.0.0.7');
    expect(a1.masterPort).toBe(a0.masterPort);
    expect(a1.masterPort).toBe(rendezvousPort(id, 1));
  });

  it("falls back to rank 0's node id when it registered no address", async () => {
    await register('n0');
    await gang();
    const a1 = ((await heartbeat('n1')).body.assignments as Record<string, unknown>[])[0]!;
    expect(a1.masterAddr).toBe('n0');
  });

  it('succeeds only when every rank has exited 0', async () => {
    const id = await gang();
    expect((await status(id, 'n0', { state: 'succeeded', exitCode: 0 })).body.state).toBe('Running');
    expect((await p.store.getJob(id))?.state).toBe('Running');
    // A resent report from the same rank does not count twice.
    expect((await status(id, 'n0', { state: 'succeeded', exitCode: 0 })).body.state).toBe('Running');
    expect((await status(id, 'n1', { state: 'succeeded', exitCode: 0 })).body.state).toBe('Succeeded');
    const job = await p.store.getJob(id);
    expect(job?.exitCode).toBe(0);
    expect((await p.store.rankExits(id, 1)).map((e) => [e.nodeRank, e.nodeId, e.exitCode])).toEqual([
      [0, 'n0', 0],
      [1, 'n1', 0],
    ]);
  });

  it('fails on the first failing rank, even after rank 0 succeeded, and stops the others with a reason and the job grace', async () => {
    const id = await gang({ 'tessera.io/stop-grace-sec': '45' });
    expect((await status(id, 'n0', { state: 'succeeded', exitCode: 0 })).body.state).toBe('Running');
    expect((await status(id, 'n1', { state: 'failed', exitCode: 137, signal: 'SIGKILL' })).body.state).toBe('Failed');
    const job = await p.store.getJob(id);
    expect(job?.exitCode).toBe(137);
    expect(job?.reason).toContain('rank 1 on n1 was killed by SIGKILL');
    // Rank 0 (still listed as running by its agent) is told to stop, with why and how long to wait.
    const hb = (await heartbeat('n0', [id])).body;
    expect(hb.assignments).toEqual([]);
    expect(hb.stop).toEqual([id]);
    expect(hb.stopDetails).toEqual([{ jobId: id, reason: expect.stringContaining('Failed: rank 1 on n1'), graceSec: 45 }]);
    // A late exit report from a rank is answered with stop, and changes nothing.
    expect((await status(id, 'n0', { state: 'succeeded', exitCode: 0 })).body).toMatchObject({ state: 'Failed', stop: true });
  });

  it('keeps each rank its own log lines and reads one rank or all interleaved', async () => {
    const id = await gang();
    const chunk = (text: string) => [{ seq: 1, stream: 'stdout', text }];
    expect((await call(`/jobs/${id}/logs`, { nodeId: 'n0', attempt: 1, nodeRank: 0, chunks: chunk('from rank 0\n') })).body.stored).toBe(1);
    expect((await call(`/jobs/${id}/logs`, { nodeId: 'n1', attempt: 1, chunks: chunk('from rank 1\n') })).body.stored).toBe(1);
    expect((await call(`/jobs/${id}/logs`, { nodeId: 'n1', attempt: 1, nodeRank: 0, chunks: chunk('lying\n') })).status).toBe(409);
    const get = async (q: string) => (await p.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/logs${q}`, headers: p.auth(p.tokens.alice) })).json() as { items: { text: string; nodeRank: number }[]; next: number };
    const all = await get('');
    expect(all.items.map((l) => `${l.nodeRank}:${l.text}`)).toEqual(['0:from rank 0\n', '1:from rank 1\n']);
    expect((await get('?rank=1')).items.map((l) => l.text)).toEqual(['from rank 1\n']);
    expect((await get(`?after=${all.next}`)).items).toEqual([]);
    // After the job ended (placements cleared) a rank's trailing lines still land under its rank.
    await status(id, 'n1', { state: 'failed', exitCode: 2 });
    expect((await call(`/jobs/${id}/logs`, { nodeId: 'n1', attempt: 1, nodeRank: 1, chunks: [{ seq: 2, stream: 'stderr', text: 'traceback\n' }] })).body.stored).toBe(1);
    expect((await get('?rank=1')).items.map((l) => l.text)).toEqual(['from rank 1\n', 'traceback\n']);
  });

  it('stores the agent counters sent with a heartbeat on the node', async () => {
    const r = await heartbeat('n1', [], { droppedLogChunks: 3, droppedLogBytes: 4096, queuedReports: 2, queuedLogChunks: 17 });
    expect(r.status).toBe(200);
    const node = (await p.app.inject({ method: 'GET', url: '/api/v1/nodes/n1', headers: p.auth(p.tokens.admin) })).json() as { telemetry: Record<string, unknown> };
    expect(node.telemetry).toMatchObject({ droppedLogChunks: 3, droppedLogBytes: 4096, queuedReports: 2, queuedLogChunks: 17 });
    expect((await heartbeat('n1', [], { queuedReports: -1 })).status).toBe(400);
  });
});

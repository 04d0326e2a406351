/**
 * The one conformance suite every Store backend must pass. Backend test files call
 * `storeConformance` with a factory; the same cases run against SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TesseraError } from '../lib/errors.js';
import { JobState, parseJobSpec, parseServiceSpec, type JobSpec } from '../workload/index.js';
import type { Store } from './store.js';
import type { Actor, Decision } from './types.js';

export interface StoreHarness {
  store: Store;
  /** Moves the store's clock forward. */
  advance(ms: number): void;
  cleanup(): Promise<void>;
}

const admin: Actor = { id: 'tok-admin', role: 'admin' };
const sched: Actor = { id: 'scheduler', role: 'system' };

export function spec(over: Record<string, unknown> = {}, resources: Record<string, unknown> = {}): JobSpec {
  return parseJobSpec({ name: 'job', kind: 'batch', command: ['sleep', '1'], ...over, resources: { count: 1, ...resources } });
}

async function node(store: Store, id: string, cards = 4, chip = 'nvidia-h20'): Promise<void> {
  await store.registerNode({ id, cluster: 'c1', chip, devices: Array.from({ length: cards }, (_, i) => ({ index: i })), stacks: ['cuda'] }, { id: `node:${id}`, role: 'agent' });
}

async function admitted(store: Store, s: JobSpec): Promise<{ id: string; version: number }> {
  const { job } = await store.submitJob(s, { actor: admin });
  await store.admitJobs([{ id: job.id, version: job.version }], sched);
  const j = (await store.getJob(job.id))!;
  return { id: j.id, version: j.version };
}

function bind(jobId: string, nodeId: string, devices: number[], milli = 1000): Decision {
  return { kind: 'bind', jobId, chip: 'nvidia-h20', placements: [{ nodeId, devices, milliPerDevice: milli }] };
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof TesseraError && e.code === code);
}

export function storeConformance(name: string, open: () => Promise<StoreHarness>): void {
  describe(`store conformance: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('applies versioned migrations and seeds the default tenant and queue', async () => {
      // Later migrations may follow; these must be there, in order.
      expect((await store.migrations()).slice(0, 3)).toEqual([1, 2, 3]);
      expect((await store.getTenant('default'))?.id).toBe('default');
      expect((await store.listQueues('default')).map((q) => q.name)).toEqual(['default']);
    });

    it('submits, gets and lists jobs with limit, offset, filters and total', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await store.submitJob(spec({ name: `j${i}` }), { actor: admin })).job.id);
        h.advance(1);
      }
      const got = await store.getJob(ids[0]!);
      expect(got).toMatchObject({ state: JobState.pending, version: 1, attempt: 0, tenant: 'default', cards: 1, milliPerCard: 1000 });
      const page = await store.listJobs({ limit: 2, offset: 1 });
      expect(page.total).toBe(5);
      // Newest first: j3, j2.
      expect(page.items.map((j) => j.name)).toEqual(['j3', 'j2']);
      expect((await store.listJobs({ limit: 10, offset: 0, states: [JobState.running] })).total).toBe(0);
      expect(await store.getJob('job-missing')).toBeNull();
    });

    it('makes submission idempotent per tenant key, and refuses a reused key with a different spec', async () => {
      const a = await store.submitJob(spec(), { actor: admin, idempotencyKey: 'k1' });
      const b = await store.submitJob(spec(), { actor: admin, idempotencyKey: 'k1' });
      expect(a.created).toBe(true);
      expect(b.created).toBe(false);
      expect(b.job.id).toBe(a.job.id);
      await expectCode(store.submitJob(spec({ name: 'other' }), { actor: admin, idempotencyKey: 'k1' }), 'conflict');
      await store.upsertTenant({ id: 't2' }, admin);
      const c = await store.submitJob(spec({ tenant: 't2' }), { actor: admin, idempotencyKey: 'k1' });
      expect(c.created).toBe(true);
      expect((await store.listJobs({ limit: 10, offset: 0 })).total).toBe(2);
      await expectCode(store.submitJob(spec({ tenant: 'nope' }), { actor: admin }), 'infeasible');
    });

    it('walks a job through its lifecycle and refuses transitions the state machine forbids', async () => {
      await node(store, 'n1');
      const j = await admitted(store, spec());
      await expectCode(store.transitionJob(j.id, JobState.running, { actor: admin }), 'conflict');
      const res = await store.applyDecisions([bind(j.id, 'n1', [0])], { actor: sched, versions: { [j.id]: j.version } });
      expect(res.refused).toEqual([]);
      let job = (await store.getJob(j.id))!;
      expect(job).toMatchObject({ state: JobState.scheduled, attempt: 1, chip: 'nvidia-h20' });
      expect((await store.listDevices('n1'))[0]?.usedMilli).toBe(1000);
      expect((await store.assignments('n1')).map((a) => a.id)).toEqual([j.id]);
      await store.ackAssignment(j.id, 'n1', 1);
      job = await store.transitionJob(j.id, JobState.running, { actor: admin, attempt: 1 });
      h.advance(100_000);
      job = await store.transitionJob(j.id, JobState.succeeded, { actor: admin, exitCode: 0 });
      expect(job).toMatchObject({ state: JobState.succeeded, exitCode: 0, placements: [] });
      expect((await store.listDevices('n1'))[0]?.usedMilli).toBe(0);
      await expectCode(store.transitionJob(j.id, JobState.pending, { actor: admin }), 'conflict');
      await expectCode(store.cancelJob(j.id, admin), 'conflict');
      // 100 s on one whole card.
      expect(await store.usage('default')).toEqual([{ tenant: 'default', chip: 'nvidia-h20', cardSec: 100, jobs: 1 }]);
    });

    it('never gives a card twice, whole or in shares', async () => {
      await node(store, 'n1', 2);
      const a = await admitted(store, spec());
      const b = await admitted(store, spec());
      const res = await store.applyDecisions([bind(a.id, 'n1', [0]), bind(b.id, 'n1', [0])], { actor: sched, versions: {} });
      expect(res.applied.map((d) => d.jobId)).toEqual([a.id]);
      expect(res.refused[0]?.reason).toContain('no 1000 milli left');
      expect((await store.getJob(b.id))?.state).toBe(JobState.admitted);
      // Shares: 600 + 400 fit one card, a further 1 does not.
      const f1 = await admitted(store, spec({}, { milliPerCard: 600 }));
      const f2 = await admitted(store, spec({}, { milliPerCard: 400 }));
      const f3 = await admitted(store, spec({}, { milliPerCard: 1 }));
      const r2 = await store.applyDecisions([bind(f1.id, 'n1', [1], 600), bind(f2.id, 'n1', [1], 400), bind(f3.id, 'n1', [1], 1)], { actor: sched, versions: {} });
      expect(r2.applied.map((d) => d.jobId)).toEqual([f1.id, f2.id]);
      expect(r2.refused.map((r) => r.decision.jobId)).toEqual([f3.id]);
      expect((await store.listDevices('n1')).map((d) => d.usedMilli)).toEqual([1000, 1000]);
    });

    it('refuses decisions made on a stale snapshot, malformed placements and unready nodes', async () => {
      await node(store, 'n1', 2);
      const a = await admitted(store, spec());
      expect((await store.applyDecisions([bind(a.id, 'n1', [0])], { actor: sched, versions: { [a.id]: a.version - 1 } })).refused[0]?.reason).toContain('changed since the snapshot');
      const g = await admitted(store, spec({}, { count: 2 }));
      expect((await store.applyDecisions([bind(g.id, 'n1', [0, 0])], { actor: sched, versions: {} })).refused[0]?.reason).toContain('twice');
      expect((await store.applyDecisions([bind(g.id, 'n1', [0])], { actor: sched, versions: {} })).refused[0]?.reason).toContain('needs 2');
      await store.setSchedulable('n1', false, admin);
      expect((await store.applyDecisions([bind(a.id, 'n1', [0])], { actor: sched, versions: {} })).refused[0]?.reason).toContain('not ready');
      // A refused gang bind leaves nothing behind.
      expect((await store.listDevices('n1')).map((d) => d.usedMilli)).toEqual([0, 0]);
      expect((await store.getJob(g.id))?.state).toBe(JobState.admitted);
    });

    it('preempts back to Pending with backoff, and fails once the attempts run out', async () => {
      await node(store, 'n1', 1);
      const s = spec({ retry: { maxAttempts: 2, backoff: { initialSec: 30, factor: 2, maxSec: 600 } } });
      const a = await admitted(store, s);
      await store.applyDecisions([bind(a.id, 'n1', [0])], { actor: sched, versions: {} });
      const before = h.store;
      await before.applyDecisions([{ kind: 'preempt', jobId: a.id, reason: 'priority', forJobId: 'job-x' }], { actor: sched, versions: {} });
      let job = (await store.getJob(a.id))!;
      expect(job.state).toBe(JobState.pending);
      expect(job.notBeforeMs! - job.updatedAtMs).toBe(30_000);
      expect((await store.listDevices('n1'))[0]?.usedMilli).toBe(0);
      // Still backing off: not offered for admission.
      expect((await store.schedState()).pending.map((p) => p.id)).not.toContain(a.id);
      h.advance(30_000);
      expect((await store.schedState()).pending.map((p) => p.id)).toContain(a.id);
      await store.admitJobs([{ id: job.id, version: job.version }], sched);
      await store.applyDecisions([bind(a.id, 'n1', [0])], { actor: sched, versions: {} });
      await store.applyDecisions([{ kind: 'preempt', jobId: a.id, reason: 'priority', forJobId: 'job-y' }], { actor: sched, versions: {} });
      job = (await store.getJob(a.id))!;
      expect(job.state).toBe(JobState.failed);
      expect(job.reason).toContain('2 of 2');
      const rej = await admitted(store, spec());
      await store.applyDecisions([{ kind: 'reject', jobId: rej.id, reason: 'no chip fits' }], { actor: sched, versions: {} });
      expect((await store.getJob(rej.id))?.reason).toContain('no chip fits');
    });

    it('marks a silent node Lost and requeues its work', async () => {
      await node(store, 'n1', 2);
      await node(store, 'n2', 2);
      const a = await admitted(store, spec());
      await store.applyDecisions([bind(a.id, 'n1', [1])], { actor: sched, versions: {} });
      h.advance(20_000);
      const beat = await store.heartbeat('n2', { devices: [{ index: 0, utilPct: 50, healthy: true }] });
      expect(await store.silentNodes(15_000)).toEqual(['n1']);
      // Counted from a later control-plane start, nobody has been silent a whole lease yet.
      expect(await store.silentNodes(15_000, beat.lastHeartbeatAtMs - 10_000)).toEqual([]);
      const lost = await store.markLost('n1', sched);
      expect(lost.map((j) => j.state)).toEqual([JobState.pending]);
      expect((await store.getNode('n1'))?.state).toBe('Lost');
      expect(await store.markLost('n1', sched)).toEqual([]);
      const types = (await store.listEvents(0, 1000)).filter((e) => e.subject === a.id).map((e) => `${e.data.from}->${e.data.to}`);
      expect(types).toContain('Scheduled->Lost');
      expect(types).toContain('Lost->Pending');
      await store.heartbeat('n1', {});
      expect((await store.getNode('n1'))?.state).toBe('Ready');
      await expectCode(store.heartbeat('n9', {}), 'not_found');
      expect((await store.listNodes({ limit: 1, offset: 1 })).items.map((n) => n.id)).toEqual(['n2']);
    });

    it('stores tokens hashed, verifies and revokes them', async () => {
      const { token, secret } = await store.createToken({ name: 'ci', role: 'operator' }, admin);
      expect(secret).toMatch(/^tsk_/);
      expect(JSON.stringify(await store.listTokens())).not.toContain(secret);
      expect((await store.verifyToken(secret))?.id).toBe(token.id);
      expect(await store.verifyToken(`${secret}x`)).toBeNull();
      await store.revokeToken(token.id, admin);
      expect(await store.verifyToken(secret)).toBeNull();
      const fixed = await store.createToken({ name: 'boot', role: 'admin', secret: 'given-secret' }, admin);
      expect((await store.verifyToken('given-secret'))?.id).toBe(fixed.token.id);
      expect(await store.countTokens()).toBe(2);
    });

    it('keeps events in increasing id order, filters by tenant, and audits actors', async () => {
      await store.upsertTenant({ id: 'acme', quota: { '*': 8 } }, admin);
      await store.submitJob(spec({ tenant: 'acme' }), { actor: { id: 'tok-acme', role: 'member', tenant: 'acme' } });
      await store.submitJob(spec(), { actor: admin });
      const all = await store.listEvents(0, 100);
      const ids = all.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      const acme = await store.listEvents(0, 100, 'acme');
      expect(acme.every((e) => e.tenant === 'acme')).toBe(true);
      expect(acme.map((e) => e.type)).toContain('job.submitted');
      const last = ids[ids.length - 2]!;
      expect((await store.listEvents(last, 100)).length).toBe(1);
      const audit = await store.listAudit(100, 0);
      expect(audit.items.find((a) => a.tenant === 'acme' && a.action === 'job.submitted')?.actor).toBe('tok-acme');
      expect((await store.getTenant('acme'))?.quota).toEqual({ '*': 8 });
    });

    it('hands the leader lease to one holder at a time and fences the old one', async () => {
      const a = await store.acquireLease('scheduler', 'A', 10_000);
      expect(a.holder).toBe('A');
      expect((await store.acquireLease('scheduler', 'B', 10_000)).holder).toBe('A');
      h.advance(5_000);
      expect((await store.acquireLease('scheduler', 'A', 10_000)).epoch).toBe(a.epoch);
      h.advance(10_001);
      const b = await store.acquireLease('scheduler', 'B', 10_000);
      expect(b).toMatchObject({ holder: 'B', epoch: a.epoch + 1 });
      await node(store, 'n1', 1);
      const j = await admitted(store, spec());
      await expectCode(store.applyDecisions([bind(j.id, 'n1', [0])], { actor: sched, versions: {}, fence: { name: 'scheduler', holder: 'A', epoch: a.epoch } }), 'conflict');
      const ok = await store.applyDecisions([bind(j.id, 'n1', [0])], { actor: sched, versions: {}, fence: { name: 'scheduler', holder: 'B', epoch: b.epoch } });
      expect(ok.applied.length).toBe(1);
      await store.releaseLease('scheduler', 'B');
      expect((await store.acquireLease('scheduler', 'A', 10_000)).holder).toBe('A');
    });

    it('keeps log chunks once each and reads them in order', async () => {
      const { job } = await store.submitJob(spec(), { actor: admin });
      expect(await store.appendLogs(job.id, 1, [{ seq: 1, stream: 'stdout', text: 'a' }, { seq: 2, stream: 'stderr', text: 'b' }])).toBe(2);
      expect(await store.appendLogs(job.id, 1, [{ seq: 2, stream: 'stderr', text: 'b' }, { seq: 3, stream: 'stdout', text: 'c' }])).toBe(1);
      const all = await store.readLogs(job.id, { after: 0, limit: 10 });
      expect(all.map((l) => l.text)).toEqual(['a', 'b', 'c']);
      expect((await store.readLogs(job.id, { after: all[0]!.cursor, limit: 10 })).map((l) => l.text)).toEqual(['b', 'c']);
    });

    it('keys log lines by node rank, so two ranks with the same seq both keep their lines', async () => {
      const { job } = await store.submitJob(spec(), { actor: admin });
      expect(await store.appendLogs(job.id, 1, [{ seq: 1, stream: 'stdout', text: 'r0-1' }], { nodeRank: 0, nodeId: 'n0' })).toBe(1);
      expect(await store.appendLogs(job.id, 1, [{ seq: 1, stream: 'stdout', text: 'r1-1' }, { seq: 2, stream: 'stderr', text: 'r1-2' }], { nodeRank: 1, nodeId: 'n1' })).toBe(2);
      expect(await store.appendLogs(job.id, 1, [{ seq: 2, stream: 'stdout', text: 'r0-2' }, { seq: 1, stream: 'stdout', text: 'r0-1' }], { nodeRank: 0, nodeId: 'n0' })).toBe(1);
      const all = await store.readLogs(job.id, { after: 0, limit: 10 });
      expect(all.map((l) => `${l.nodeRank}:${l.nodeId}:${l.seq}:${l.text}`)).toEqual(['0:n0:1:r0-1', '1:n1:1:r1-1', '1:n1:2:r1-2', '0:n0:2:r0-2']);
      expect((await store.readLogs(job.id, { after: 0, limit: 10, nodeRank: 1 })).map((l) => l.text)).toEqual(['r1-1', 'r1-2']);
      expect((await store.readLogs(job.id, { after: all[1]!.cursor, limit: 1 })).map((l) => l.text)).toEqual(['r1-2']);
      await store.appendLogs(job.id, 2, [{ seq: 1, stream: 'stdout', text: 'second attempt' }], { nodeRank: 0, nodeId: 'n0' });
      expect((await store.readLogs(job.id, { after: 0, limit: 10 })).map((l) => l.text)).toEqual(['second attempt']);
      expect((await store.readLogs(job.id, { after: 0, limit: 10, attempt: 1, nodeRank: 0 })).map((l) => l.text)).toEqual(['r0-1', 'r0-2']);
    });

    it('records each rank exit once and returns all exits of the attempt', async () => {
      const { job } = await store.submitJob(spec(), { actor: admin });
      expect((await store.recordRankExit(job.id, 1, { nodeRank: 1, nodeId: 'n1', exitCode: 0, signal: null })).map((e) => e.nodeRank)).toEqual([1]);
      const exits = await store.recordRankExit(job.id, 1, { nodeRank: 0, nodeId: 'n0', exitCode: 137, signal: 'SIGKILL' });
      expect(exits.map((e) => [e.nodeRank, e.exitCode, e.signal])).toEqual([[0, 137, 'SIGKILL'], [1, 0, null]]);
      // A resent report keeps the first.
      await store.recordRankExit(job.id, 1, { nodeRank: 0, nodeId: 'n0', exitCode: 0, signal: null });
      expect((await store.rankExits(job.id, 1)).map((e) => e.exitCode)).toEqual([137, 0]);
      expect(await store.rankExits(job.id, 2)).toEqual([]);
      await expect(store.recordRankExit('job-missing', 1, { nodeRank: 0, nodeId: 'n0', exitCode: 0, signal: null })).rejects.toThrow(/not found/);
    });

    it('lists replica endpoints of the current attempt, adds token usage, and applies a per-chip replica mix', async () => {
      await node(store, 'n1', 4, 'nvidia-h20');
      const svc = await store.createService(parseServiceSpec({ name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 1 }), admin, (i) => spec({ name: `chat-${i}`, kind: 'inference', model: { name: 'qwen2.5-7b' } }));
      const rep = (await store.listJobs({ limit: 10, offset: 0, serviceId: svc.id })).items[0]!;
      await store.admitJobs([{ id: rep.id, version: rep.version }], sched);
      const j = (await store.getJob(rep.id))!;
      await store.applyDecisions([bind(j.id, 'n1', [0])], { actor: sched, versions: { [j.id]: j.version } });
      await store.transitionJob(j.id, JobState.running, { actor: admin, attempt: 1 });
      await expectCode(store.setReplicaEndpoint(j.id, { attempt: 2, url: 'http://127.0.0.1:9', simulated: false }, admin), 'conflict');
      await store.setReplicaEndpoint(j.id, { attempt: 1, url: 'http://127.0.0.1:9', simulated: true }, admin);
      expect(await store.replicaEndpoints()).toEqual([{ jobId: j.id, attempt: 1, serviceId: svc.id, tenant: 'default', model: 'qwen2.5-7b', chip: 'nvidia-h20', nodeId: 'n1', url: 'http://127.0.0.1:9', simulated: true }]);
      expect(await store.replicaEndpoints('another-tenant')).toEqual([]);

      const row = { tenant: 'default', model: 'qwen2.5-7b', chip: 'nvidia-h20', requests: 2, errors: 1, promptTokens: 10, completionTokens: 5 };
      await store.addTokenUsage([row]);
      await store.addTokenUsage([{ ...row, requests: 1, errors: 0, promptTokens: 3, completionTokens: 4 }]);
      expect(await store.tokenUsage('default')).toEqual([{ ...row, requests: 3, errors: 1, promptTokens: 13, completionTokens: 9 }]);
      expect(await store.tokenUsage('another-tenant')).toEqual([]);

      // Per-minute traffic buckets merge (histograms element-wise) and read back per service from a minute on.
      const bucket = { service: svc.id, model: 'qwen2.5-7b', chip: 'nvidia-h20', minuteMs: 120_000, requests: 3, errors: 1, sloJudged: 2, sloMet: 1, ttftHist: [0, 2, 0], tpotHist: [1, 1, 0] };
      await store.addServiceTraffic([bucket, { ...bucket, minuteMs: 60_000 }]);
      await store.addServiceTraffic([{ ...bucket, requests: 1, errors: 0, sloJudged: 1, sloMet: 1, ttftHist: [1, 0, 0], tpotHist: [0, 0, 1] }]);
      // Another service of the same model, chip and minute is kept apart.
      await store.addServiceTraffic([{ ...bucket, service: 'another-service', requests: 50 }]);
      expect(await store.serviceTraffic(svc.id, 120_000)).toEqual([{ ...bucket, requests: 4, errors: 1, sloJudged: 3, sloMet: 2, ttftHist: [1, 2, 0], tpotHist: [1, 1, 1] }]);
      expect((await store.serviceTraffic(svc.id, 0)).map((b) => b.minuteMs)).toEqual([60_000, 120_000]);
      expect((await store.serviceTraffic('another-service', 0)).map((b) => b.requests)).toEqual([50]);
      expect(await store.serviceTraffic('no-such-service', 0)).toEqual([]);
      // Demand buckets merge cell by cell, per service and model, and go with the traffic when pruned.
      const demand = { service: svc.id, model: 'qwen2.5-7b', minuteMs: 60_000, cells: [{ i: 2, o: 1, n: 3, inSum: 900, outSum: 150 }] };
      await store.addServiceDemand([demand, { ...demand, minuteMs: 120_000 }]);
      await store.addServiceDemand([{ ...demand, cells: [{ i: 2, o: 1, n: 1, inSum: 300, outSum: 60 }, { i: 0, o: 0, n: 2, inSum: 20, outSum: 10 }] }]);
      expect(await store.serviceDemand(svc.id, 0)).toEqual([
        { ...demand, cells: [{ i: 0, o: 0, n: 2, inSum: 20, outSum: 10 }, { i: 2, o: 1, n: 4, inSum: 1200, outSum: 210 }] },
        { ...demand, minuteMs: 120_000 },
      ]);
      expect(await store.serviceDemand('another-service', 0)).toEqual([]);
      expect(await store.pruneServiceTraffic(120_000)).toBe(1);
      expect((await store.serviceDemand(svc.id, 0)).map((b) => b.minuteMs)).toEqual([120_000]);
      expect((await store.serviceTraffic(svc.id, 0)).map((b) => b.minuteMs)).toEqual([120_000]);

      const out = await store.applyServiceMix(svc.id, { 'nvidia-l20': 2 }, (chip, i) => spec({ name: `chat-${i}`, kind: 'inference' }, { chips: { kind: 'pinned', chip } }), admin, { reason: 'test' });
      expect([out.started, out.stopped, out.service.spec.replicas]).toEqual([2, 1, 2]);
      const live = (await store.listJobs({ limit: 10, offset: 0, serviceId: svc.id })).items.filter((x) => x.state !== JobState.cancelled);
      expect(live.map((x) => x.spec.resources.chips)).toEqual([{ kind: 'pinned', chip: 'nvidia-l20' }, { kind: 'pinned', chip: 'nvidia-l20' }]);
      // The cancelled replica's endpoint is no longer served.
      expect(await store.replicaEndpoints()).toEqual([]);
      const ev = (await store.listEvents(0, 1000)).find((e) => e.type === 'service.autoscaled');
      expect(ev?.data).toMatchObject({ reason: 'test', from: { 'nvidia-h20': 1 }, to: { 'nvidia-l20': 2 }, started: 2, stopped: 1 });
    });

    it('creates inference services as replica jobs and cancels them on delete', async () => {
      const s = parseServiceSpec({ name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 2 });
      const svc = await store.createService(s, admin, (i) => spec({ name: `chat-${i}`, kind: 'inference' }));
      const replicas = await store.listJobs({ limit: 10, offset: 0, serviceId: svc.id });
      expect(replicas.total).toBe(2);
      expect((await store.listServices('default')).map((x) => x.id)).toEqual([svc.id]);
      const scaled = await store.scaleService(svc.id, 1, admin);
      expect(scaled.spec.replicas).toBe(1);
      const afterScale = await store.listJobs({ limit: 10, offset: 0, serviceId: svc.id });
      expect(afterScale.items.map((j) => j.state).sort()).toEqual([JobState.cancelled, JobState.pending]);
      // The newest replica was the one cancelled.
      expect(afterScale.items[0]?.state).toBe(JobState.cancelled);
      await store.deleteService(svc.id, admin);
      expect((await store.listJobs({ limit: 10, offset: 0, serviceId: svc.id })).items.every((j) => j.state === JobState.cancelled)).toBe(true);
      expect(await store.listServices()).toEqual([]);
    });

    it('reads a consistent scheduling snapshot', async () => {
      await node(store, 'n1', 2);
      const a = await admitted(store, spec());
      await store.submitJob(spec(), { actor: admin });
      await store.applyDecisions([bind(a.id, 'n1', [1])], { actor: sched, versions: {} });
      const s = await store.schedState();
      expect(s.nodes[0]?.devices.map((d) => d.usedMilli)).toEqual([0, 1000]);
      expect(s.running.map((j) => j.id)).toEqual([a.id]);
      expect(s.pending.length).toBe(1);
      expect(s.admitted.length).toBe(0);
      // A second snapshot sees every change since the first (it re-reads changed jobs only).
      const waiting = s.pending[0]!;
      await store.admitJobs([{ id: waiting.id, version: waiting.version }], sched);
      const s2 = await store.schedState();
      expect(s2.pending).toEqual([]);
      expect(s2.admitted.map((j) => [j.id, j.state, j.version])).toEqual([[waiting.id, JobState.admitted, waiting.version + 1]]);
      await store.cancelJob(a.id, admin);
      const s3 = await store.schedState();
      expect(s3.running).toEqual([]);
      expect(s3.nodes[0]?.devices.map((d) => d.usedMilli)).toEqual([0, 0]);
      await store.saveExplanations({ [s.pending[0]!.id]: [{ plugin: 'fit', reason: 'no free card' }] });
      expect((await store.getJob(s.pending[0]!.id))?.explain).toEqual([{ plugin: 'fit', reason: 'no free card' }]);
    });
  });
}

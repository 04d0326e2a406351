/**
 * The run loop against a real control plane in this process (HTTP on a free port, SQLite store,
 * the real scheduling loop driven by hand) with real task processes. Outages are made at the
 * agent's HTTP client: while `down`, every call fails as an unreachable server would.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { testPlane, type TestPlane } from '../../server/test-support.js';
import { NodeAgent, type NodeAgentOptions } from './node-agent.js';
import { Runtime } from '../run-env.js';
import { containerName } from './launch-plan.js';
import { TaskProcess } from './process-runner.js';
import { StateStore } from './state-store.js';
import { testAgentOptions } from './test-agent.js';

const catalog = builtinCatalog();
const ascend = catalog.get('ascend-910b');

describe('NodeAgent against a real control plane', () => {
  let p: TestPlane;
  let base: string;
  let dir: string;
  let down: boolean;
  let tamper: ((body: Record<string, unknown>) => void) | null;
  let forget: boolean;
  let registrations: number;
  const agents: NodeAgent[] = [];

  beforeEach(async () => {
    p = await testPlane();
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'tessera-node-agent-'));
    down = false;
    tamper = null;
    forget = false;
    registrations = 0;
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop(true);
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchImpl: typeof fetch = async (input, init) => {
    if (down) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    if (String(input).endsWith('/register')) registrations++;
    // A control plane that lost its database answers a heartbeat with 404 until the node registers again.
    if (forget && String(input).endsWith('/heartbeat')) {
      forget = false;
      return new Response('{"error":"not_found","message":"node n1 is not registered"}', { status: 404, headers: { 'content-type': 'application/json' } });
    }
    const res = await fetch(input, init);
    if (!tamper || !String(input).endsWith('/heartbeat')) return res;
    const body = (await res.json()) as Record<string, unknown>;
    tamper(body);
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };

  const newAgent = (over: Partial<NodeAgentOptions> = {}): NodeAgent => {
    const a = new NodeAgent({ ...testAgentOptions({ chip: ascend, count: 4, catalog, server: base, token: p.tokens.agent, fetchImpl, dir }), ...over });
    agents.push(a);
    void a.start();
    return a;
  };

  const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${p.tokens.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as T;
  };
  const submit = async (command: string, count = 1, extra: Record<string, unknown> = {}): Promise<string> =>
    (await api<{ id: string }>('POST', '/api/v1/jobs', { name: 't', kind: 'batch', command: ['sh', '-c', command], resources: { count, chips: { kind: 'pinned', chip: 'ascend-910b' } }, ...extra })).id;
  const job = (id: string) => api<{ state: string; exitCode: number | null; reason: string | null; attempt: number }>('GET', `/api/v1/jobs/${id}`);
  const logText = async (id: string): Promise<string> => (await api<{ items: { text: string }[] }>('GET', `/api/v1/jobs/${id}/logs?limit=5000`)).items.map((i) => i.text).join('');
  /** Drives the scheduling loop until `cond` holds. */
  const until = async (what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await p.loop.cycle();
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  const state = async (id: string, s: string) => until(`${id} ${s}`, async () => (await job(id)).state === s);

  it('registers, runs an assignment with its visibility variable, streams its output and reports its exit', async () => {
    const agent = newAgent({ keepFinishedTaskDirs: 0 });
    await until('registration', () => agent.connected);
    const id = await submit('echo "devices=$ASCEND_RT_VISIBLE_DEVICES rank=$RANK"; echo warn >&2; exit 0', 2);
    await state(id, 'Succeeded');
    // Retired once reported: remembered as started, its output folder pruned (none kept here).
    await until('retired', () => agent.taskList.length === 0);
    expect(agent.state.everStarted(id, 1)).toBe(true);
    expect(readdirSync(join(dir, 'state', 'tasks'))).toEqual([]);
    const text = await logText(id);
    expect(text).toMatch(/devices=\d,\d rank=0/);
    expect(text).toContain('warn');
    expect(agent.stats.started).toBe(1);
    const events = (await api<{ items: { type: string; subject: string }[] }>('GET', '/api/v1/events?limit=1000')).items.filter((e) => e.subject === id).map((e) => e.type);
    expect(events).toContain('job.acknowledged');
  });

  it('delivers every byte of a chatty task when the control plane keeps up (batches fit its body limit)', async () => {
    newAgent({ logBufferBytes: 8 * 1024 * 1024 });
    const id = await submit('yes 0123456789012345678901234567890123456789 | head -c 3000000');
    await state(id, 'Succeeded');
    const items = (await api<{ items: { text: string }[] }>('GET', `/api/v1/jobs/${id}/logs?limit=5000`)).items;
    expect(items.map((i) => i.text).join('').length).toBe(3_000_000);
  });

  it('registers again when the control plane no longer knows the node', async () => {
    const agent = newAgent();
    await until('registration', () => agent.connected && registrations === 1);
    forget = true;
    await until('a second registration', () => registrations === 2 && agent.connected);
    expect(agent.stats.heartbeatFailures).toBeGreaterThanOrEqual(1);
  });

  it('stops a cancelled job: SIGTERM to its process group, and nothing more is reported for it', async () => {
    const agent = newAgent();
    const id = await submit("trap 'echo got-term; exit 7' TERM; echo up; sleep 30 & wait");
    await state(id, 'Running');
    await until('output', async () => (await logText(id)).includes('up'));
    const task = agent.taskList.find((t) => t.rec.jobId === id)!;
    await api('POST', `/api/v1/jobs/${id}/cancel`, {});
    await until('the task to end', () => task.rec.exit !== null);
    expect(task.rec.exit).toMatchObject({ code: 7 });
    expect(task.rec.stopRequested).toBe(true);
    expect((await job(id)).state).toBe('Cancelled');
  });

  it('keeps running through an outage; the exit report and the output (bounded) are replayed on reconnect', async () => {
    const agent = newAgent({ logBufferBytes: 64 * 1024, logBacklogBytes: 64 * 1024 });
    const id = await submit('echo first; sleep 0.6; i=0; while [ $i -lt 3000 ]; do echo "line $i ................................................................"; i=$((i+1)); done; echo last; exit 5');
    await state(id, 'Running');
    await until('first output', async () => (await logText(id)).includes('first'));
    down = true;
    const task = agent.taskList.find((t) => t.rec.jobId === id)!;
    await until('the task to end during the outage', () => task.rec.exit !== null);
    expect(agent.connected).toBe(false);
    const onDisk = JSON.parse(readFileSync(join(dir, 'state', 'agent-state.json'), 'utf8')) as { tasks: { jobId: string; reportedExit: boolean; exit: { code: number } }[] };
    expect(onDisk.tasks.find((t) => t.jobId === id)).toMatchObject({ reportedExit: false, exit: { code: 5 } });
    expect((await job(id)).state).toBe('Running');
    down = false;
    await state(id, 'Failed');
    expect((await job(id)).exitCode).toBe(5);
    const text = await logText(id);
    expect(text).toContain('last');
    // About 200 KB were written while at most 64 KiB may wait unread and 64 KiB in memory: the oldest were dropped, and counted.
    expect(text).toMatch(/\[tessera agent\] \d+ bytes of output dropped/);
    expect(text.length).toBeLessThan(150_000);
    // The drops are counted and told to the control plane with the heartbeats, which show them on the node.
    expect(agent.counters().droppedLogBytes).toBeGreaterThan(0);
    await until('the counters on the node', async () => ((await api<{ telemetry: { droppedLogBytes?: number } | null }>('GET', '/api/v1/nodes/n1')).telemetry?.droppedLogBytes ?? 0) > 0);
    // The replayed exit report is counted until it is delivered, then no longer.
    await until('no reports owed on the node', async () => (await api<{ telemetry: { queuedReports?: number } }>('GET', '/api/v1/nodes/n1')).telemetry.queuedReports === 0);
  });

  it('counts the exit reports it owes while the control plane is away', async () => {
    const agent = newAgent();
    const id = await submit('sleep 0.3; exit 0');
    await state(id, 'Running');
    down = true;
    const task = agent.taskList.find((t) => t.rec.jobId === id)!;
    await until('the task to end during the outage', () => task.rec.exit !== null);
    expect(agent.counters().queuedReports).toBe(1);
    down = false;
    await state(id, 'Succeeded');
    await until('nothing owed', () => agent.counters().queuedReports === 0);
  });

  it("numbers each rank's log chunks from 1 and sends its rank", async () => {
    newAgent();
    const id = await submit('echo one; echo two >&2');
    await state(id, 'Succeeded');
    const items = (await api<{ items: { seq: number; nodeRank: number; nodeId: string }[] }>('GET', `/api/v1/jobs/${id}/logs?limit=5000&rank=0`)).items;
    expect(items.length).toBeGreaterThan(0);
    expect(Math.min(...items.map((i) => i.seq))).toBe(1);
    expect(items.every((i) => i.nodeRank === 0 && i.nodeId === 'n1')).toBe(true);
  });

  it("stops a task with the job's own grace period when the control plane sends one", async () => {
    // The agent would wait 60 s before SIGKILL; the job asks for none, so the TERM-ignoring task dies at once.
    const agent = newAgent({ graceSec: 60 });
    const id = await submit("trap '' TERM; echo up; while true; do sleep 0.1; done", 1, { labels: { 'tessera.io/stop-grace-sec': '0' } });
    await state(id, 'Running');
    await until('output', async () => (await logText(id)).includes('up'));
    const task = agent.taskList.find((t) => t.rec.jobId === id)!;
    await api('POST', `/api/v1/jobs/${id}/cancel`, {});
    await until('the task to be killed', () => task.rec.exit !== null);
    expect(task.rec.exit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('a restarted agent adopts the running task and never starts it again', async () => {
    const marks = join(dir, 'marks.txt');
    const first = newAgent();
    const id = await submit(`echo run >> ${marks}; sleep 1; echo done`);
    await state(id, 'Running');
    await first.stop(false);
    const second = newAgent();
    await state(id, 'Succeeded');
    expect(second.stats.started).toBe(0);
    expect(readFileSync(marks, 'utf8')).toBe('run\n');
    expect(await logText(id)).toContain('done');
  });

  it('finds a task whose pid the previous agent had no time to record, and stops it when the server does not assign it', async () => {
    // A previous agent recorded the start and spawned the task, then died before saving the pid.
    const store = new StateStore(join(dir, 'state'), 'n1');
    const rec = store.begin({ jobId: 'job-orphan', attempt: 1, nodeRank: 0, dir: join(dir, 'state', 'tasks', 'job-orphan-1'), startedAtMs: Date.now() });
    const orphan = TaskProcess.start({ dir: rec.dir, program: 'sh', args: ['-c', 'sleep 30'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    await until('the shim to write its pid', () => {
      try {
        return readFileSync(`${orphan.files.status}.pid`, 'utf8') === String(orphan.pid);
      } catch {
        return false;
      }
    });
    const agent = newAgent();
    expect(agent.taskList.find((t) => t.rec.jobId === 'job-orphan')?.rec.pid).toBe(orphan.pid);
    // The control plane does not assign job-orphan to n1: the agent stops it (SIGTERM ends sleep) and never starts anything.
    await until('the orphan stopped', () => orphan.exited !== null);
    expect(orphan.exited?.signal).toBe('SIGTERM');
    expect(agent.stats.started).toBe(0);
  });

  it('refuses an assignment for devices or a rank this node does not have, and runs nothing', async () => {
    const marks = join(dir, 'never.txt');
    tamper = (body) => {
      for (const a of body.assignments as { devices: number[] }[]) a.devices = [0, 99];
    };
    const agent = newAgent();
    const id = await submit(`echo ran > ${marks}`);
    await state(id, 'Failed');
    expect((await job(id)).reason).toMatch(/device\(s\) 99, which this node does not have/);
    expect(agent.stats.started).toBe(0);
    expect(agent.stats.refused).toBe(1);
    expect(() => readFileSync(marks)).toThrow();
  });

  it('runs a container through the engine with the generated command line and stops it through the engine', async () => {
    // No container engine runs on this machine: a stand-in `docker` records how it is called.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const calls = join(dir, 'docker-calls.txt');
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$*" >> ${calls}\nif [ "$1" = run ]; then trap 'exit 143' TERM; sleep 30 & wait; fi\n`);
    chmodSync(join(bin, 'docker'), 0o755);
    const path = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    newAgent({ runtime: Runtime.docker, baseEnv: { PATH: path }, engineAvailable: () => true });
    const id = (await api<{ id: string }>('POST', '/api/v1/jobs', { name: 'c', kind: 'batch', command: ['python', 'train.py'], images: { cann: 'ascend-pytorch:test' }, resources: { count: 2, chips: { kind: 'pinned', chip: 'ascend-910b' } } })).id;
    await state(id, 'Running');
    await until('docker run', () => readFileSync(calls, { encoding: 'utf8', flag: 'a+' }).includes('run'));
    const run = readFileSync(calls, 'utf8').split('\n')[0]!;
    expect(run).toMatch(new RegExp(`^run --rm --name ${containerName(id, 1)} `));
    expect(run).toMatch(/--device \/dev\/davinci\d --device \/dev\/davinci\d --device \/dev\/davinci_manager/);
    expect(run).toMatch(/-e ASCEND_RT_VISIBLE_DEVICES=0,1 /);
    expect(run).toMatch(/ascend-pytorch:test python train\.py$/);
    await api('POST', `/api/v1/jobs/${id}/cancel`, {});
    await until('docker stop', () => readFileSync(calls, 'utf8').includes(`stop --time 1 ${containerName(id, 1)}`));
  });

  it('fails an assignment clearly when the container engine is missing, naming the command it would run', async () => {
    newAgent({ runtime: Runtime.docker, engineAvailable: () => false });
    const id = await submit('true', 1, { image: 'any:1' });
    await state(id, 'Failed');
    expect((await job(id)).reason).toMatch(/docker is not installed on node n1 \(not found on PATH\).*the command would be: docker run --rm --name/);
  });
});

/**
 * The node agent end to end: a real control plane (`tessera serve`) and three real agent processes
 * (`tessera agent --server ... --token ...`) with simulated devices of two vendors (two Ascend
 * 910B nodes, one MetaX C500 node), all from the built binary.
 *  - a 2-node gang job whose command prints its environment: each rank gets its node's devices,
 *    the vendor's visibility variable, WORLD_SIZE/RANK/NODE_RANK and one MASTER_ADDR/PORT;
 *  - a single-node MetaX job gets MetaX's visibility variable;
 *  - SIGKILL of an agent under a running gang job: the job is marked Lost and requeued, the other
 *    rank is stopped, the restarted agent adopts and stops its orphan, attempt 2 runs once;
 *  - a control plane restart while a task runs and ends: the agents reconnect, the exit report is
 *    replayed, and nothing ran twice (every execution writes a line to a runs file).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/catalog/index.js';
import { builtAvailable, Cluster, repo, waitFor } from './cluster.js';

const available = builtAvailable();
if (!available.ok && process.env.CI === 'true') throw new Error(`agent end-to-end tests cannot run under CI: ${available.why}`);
if (!available.ok) console.warn(`skipping agent end-to-end tests: ${available.why}`);

const script = join(repo, 'test', 'e2e-agent', 'print-env.sh');
const LEASE_SEC = 6;

interface Job {
  id: string;
  state: string;
  attempt: number;
  chip: string | null;
  exitCode: number | null;
  placements: { nodeId: string; devices: number[] }[];
}
interface LogItem {
  nodeRank: number;
  nodeId: string | null;
  seq: number;
  stream: string;
  text: string;
}

describe.skipIf(!available.ok)('node agent end to end (tessera serve + three tessera agent processes)', () => {
  const c = new Cluster();
  const runsFile = join(c.dir, 'runs.txt');
  const catalog = builtinCatalog();
  const ascendVars = catalog.get('ascend-910b').software.visibilityEnv;
  const metaxVars = catalog.get('metax-c500').software.visibilityEnv;
  const ascendVar = ascendVars[0]!;
  const metaxVar = metaxVars[0]!;

  const job = (id: string): Promise<Job> => c.api<Job>('GET', `/api/v1/jobs/${id}`);
  const submit = (body: Record<string, unknown>): Promise<Job> => c.api<Job>('POST', '/api/v1/jobs', body);
  const until = (id: string, state: string, timeoutMs = 20_000): Promise<Job> =>
    waitFor(`job ${id} to reach ${state}`, async () => {
      const j = await job(id);
      if (['Failed', 'Cancelled'].includes(j.state) && j.state !== state) throw new Error(`job ${id} is ${j.state}: ${JSON.stringify(j)}`);
      return j.state === state ? j : null;
    }, timeoutMs);
  const logs = async (id: string, attempt: number, rank?: number): Promise<LogItem[]> => (await c.api<{ items: LogItem[] }>('GET', `/api/v1/jobs/${id}/logs?attempt=${attempt}&limit=5000${rank !== undefined ? `&rank=${rank}` : ''}`)).items;
  /** Each rank's printed variables (the control plane keys log lines by rank). */
  const envByRank = (items: LogItem[]): Map<number, Record<string, string>> => {
    const text = new Map<number, string>();
    for (const i of items) if (i.stream === 'stdout') text.set(i.nodeRank, (text.get(i.nodeRank) ?? '') + i.text);
    const out = new Map<number, Record<string, string>>();
    for (const [rank, t] of text) out.set(rank, Object.fromEntries(t.split('\n').filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));
    return out;
  };
  const runs = (): string[] => {
    try {
      return readFileSync(runsFile, 'utf8').split('\n').filter((l) => l !== '');
    } catch {
      return [];
    }
  };
  const events = async (subject: string): Promise<{ type: string; data: Record<string, unknown> }[]> =>
    (await c.api<{ items: { type: string; subject: string; data: Record<string, unknown> }[] }>('GET', '/api/v1/events?limit=1000')).items.filter((e) => e.subject === subject);

  beforeAll(async () => {
    writeFileSync(runsFile, '');
    await c.startServer(LEASE_SEC);
    await c.startAgent('n-ascend-1', 'simulated:ascend-910bx8');
    await c.startAgent('n-ascend-2', 'simulated:ascend-910bx8');
    await c.startAgent('n-metax', 'simulated:metax-c500x8');
    await waitFor('three Ready nodes with telemetry', async () => {
      const nodes = (await c.api<{ items: { id: string; state: string; simulated: boolean; chip: string; telemetry?: { devices?: unknown[] } }[] }>('GET', '/api/v1/nodes')).items;
      return nodes.filter((n) => n.state === 'Ready' && n.simulated && n.telemetry?.devices?.length === 8).length === 3;
    });
  });

  afterAll(async () => {
    await c.destroy(process.env.KEEP_E2E === '1');
  });

  it('runs a 2-node gang job with each rank on its own node, devices, visibility and rank variables', async () => {
    const j = await submit({ name: 'gang-env', kind: 'training', command: ['sh', script], env: { E2E_RUNS_FILE: runsFile, E2E_MARK: 'gang' }, resources: { count: 16, chips: { kind: 'pinned', chip: 'ascend-910b' } } });
    const done = await until(j.id, 'Succeeded');
    expect(done.exitCode).toBe(0);
    // The job succeeds only once both ranks exited 0, and each agent delivers its output before its exit report.
    expect((await logs(j.id, 1)).filter((i) => i.text.includes('end node=')).length).toBe(2);
    const ranks = envByRank(await logs(j.id, 1));
    // Both ranks number their lines from 1; one rank's lines can be read alone.
    const rank1 = await logs(j.id, 1, 1);
    expect(rank1.length).toBeGreaterThan(0);
    expect(rank1.every((i) => i.nodeRank === 1)).toBe(true);
    expect(Math.min(...rank1.map((i) => i.seq))).toBe(1);
    expect([...ranks.keys()].sort()).toEqual([0, 1]);
    const r0 = ranks.get(0)!;
    const r1 = ranks.get(1)!;
    const rank0Address = (await c.api<{ labels: Record<string, string> }>('GET', `/api/v1/nodes/${r0.TESSERA_NODE_ID!}`)).labels['tessera.io/address'];
    expect(rank0Address).toBeTruthy();
    expect(new Set([r0.TESSERA_NODE_ID, r1.TESSERA_NODE_ID])).toEqual(new Set(['n-ascend-1', 'n-ascend-2']));
    for (const [rank, env] of ranks) {
      for (const v of ascendVars) expect(env[v]).toBe('0,1,2,3,4,5,6,7');
      expect(env.CUDA_VISIBLE_DEVICES).toBeUndefined();
      expect(env).toMatchObject({ WORLD_SIZE: '2', RANK: String(rank), NODE_RANK: String(rank), LOCAL_RANK: '0', TESSERA_NNODES: '2', TESSERA_NODE_RANK: String(rank), TESSERA_ATTEMPT: '1', PET_NNODES: '2', PET_NPROC_PER_NODE: '8', E2E_MARK: 'gang' });
      // Every rank meets at rank 0's registered address on one port.
      expect(env.MASTER_ADDR).toBe(rank0Address);
      expect(env.MASTER_PORT).toBe(r0.MASTER_PORT);
      expect(Number(env.MASTER_PORT)).toBeGreaterThan(0);
    }
    // The agent's credential never reaches a task.
    const all = (await logs(j.id, 1)).map((i) => i.text).join('');
    for (const token of c.tokens.values()) expect(all).not.toContain(token);
    expect(runs().filter((l) => l.startsWith(j.id))).toHaveLength(2);
  });

  it("gives a MetaX task MetaX's visibility variable with the devices it was placed on", async () => {
    const j = await submit({ name: 'metax-env', kind: 'batch', command: ['sh', script], env: { E2E_RUNS_FILE: runsFile }, resources: { count: 2, chips: { kind: 'pinned', chip: 'metax-c500' } } });
    const scheduled = await waitFor('the MetaX job placed', async () => {
      const x = await job(j.id);
      return x.placements.length > 0 || x.state === 'Succeeded' ? x : null;
    });
    const done = await until(j.id, 'Succeeded');
    expect(done.chip).toBe('metax-c500');
    const env = envByRank(await logs(j.id, 1)).get(0)!;
    expect(env.TESSERA_NODE_ID).toBe('n-metax');
    const visible = env[metaxVar]!.split(',').map(Number);
    expect(visible).toHaveLength(2);
    for (const v of metaxVars) expect(env[v]).toBe(env[metaxVar]);
    if (scheduled.placements[0]) expect(visible).toEqual(scheduled.placements[0].devices);
    expect(env).toMatchObject({ WORLD_SIZE: '1', RANK: '0', MASTER_ADDR: '127.0.0.1' });
    expect(env[ascendVar]).toBeUndefined();
  });

  it('marks the work of a SIGKILLed agent Lost, requeues it, and runs each attempt once', async () => {
    const j = await submit({ name: 'gang-lost', kind: 'training', command: ['sh', script], env: { E2E_RUNS_FILE: runsFile, E2E_SLEEP_SEC: '120', E2E_SLEEP_ATTEMPT: '1' }, resources: { count: 16, chips: { kind: 'pinned', chip: 'ascend-910b' } } });
    await until(j.id, 'Running');
    await waitFor('both ranks of attempt 1 started', async () => runs().filter((l) => l.startsWith(`${j.id} 1 `)).length === 2);
    await c.killAgent('n-ascend-2');
    // The control plane notices the silence after the lease and requeues the job.
    await waitFor('the job marked Lost', async () => (await events(j.id)).some((e) => e.type === 'job.state' && e.data.to === 'Lost'), (LEASE_SEC + 10) * 1000);
    const nodes = (await c.api<{ items: { id: string; state: string }[] }>('GET', '/api/v1/nodes')).items;
    expect(nodes.find((n) => n.id === 'n-ascend-2')?.state).toBe('Lost');
    expect(['Pending', 'Admitted', 'Scheduled', 'Running']).toContain((await job(j.id)).state);
    // The surviving rank is stopped by its agent (SIGTERM to its process group).
    await waitFor('rank on n-ascend-1 stopped', async () => c.agentLog('n-ascend-1').includes(`stopping ${j.id} attempt 1`) && new RegExp(`${j.id} attempt 1 ended: (killed by SIGTERM|exit code 143)`).test(c.agentLog('n-ascend-1')));
    // The killed agent comes back with its state folder: it adopts its orphaned rank and stops it, never restarting it.
    await c.restartAgent('n-ascend-2');
    await waitFor('the orphan adopted', async () => c.agentLog('n-ascend-2').includes(`adopted ${j.id} attempt 1`));
    const second = await until(j.id, 'Succeeded', 40_000);
    expect(second.attempt).toBe(2);
    const mine = runs().filter((l) => l.startsWith(`${j.id} `));
    expect(mine.filter((l) => l.startsWith(`${j.id} 1 `))).toHaveLength(2);
    expect(mine.filter((l) => l.startsWith(`${j.id} 2 `))).toHaveLength(2);
    expect(new Set(mine).size).toBe(mine.length);
  }, 90_000);

  it('keeps running work through a control plane restart and replays its exit, running nothing twice', async () => {
    const j = await submit({ name: 'through-restart', kind: 'batch', command: ['sh', script], env: { E2E_RUNS_FILE: runsFile, E2E_SLEEP_SEC: '2' }, resources: { count: 1, chips: { kind: 'pinned', chip: 'metax-c500' } } });
    await until(j.id, 'Running');
    await waitFor('the task to start', async () => runs().some((l) => l.startsWith(`${j.id} `)));
    const before = runs();
    await c.stopServer();
    // The task ends while the control plane is down; its exit report waits in the agent's state file.
    await waitFor('the task to end during the outage', async () => c.agentLog('n-metax').includes(`${j.id} attempt 1 ended: exit code 0`), 15_000);
    const state = JSON.parse(readFileSync(join(c.stateDir('n-metax'), 'agent-state.json'), 'utf8')) as { tasks: { jobId: string; reportedExit: boolean }[] };
    expect(state.tasks.find((t) => t.jobId === j.id)?.reportedExit).toBe(false);
    // Down for longer than the lease: the restarted control plane counts silence from its own start,
    // so the agents get a full lease to reconnect and no node is marked Lost.
    await new Promise((r) => setTimeout(r, (LEASE_SEC + 1) * 1000));
    await c.startServer(LEASE_SEC);
    const done = await until(j.id, 'Succeeded');
    expect(done).toMatchObject({ attempt: 1, exitCode: 0 });
    const env = envByRank(await logs(j.id, 1)).get(0)!;
    expect(env.TESSERA_JOB_ID).toBe(j.id);
    expect((await logs(j.id, 1)).some((i) => i.text.includes('end node=n-metax'))).toBe(true);
    // All three agents are back and heartbeating; no execution happened twice, none was added by the restart.
    await waitFor('three Ready nodes after the restart', async () => (await c.api<{ items: { state: string }[] }>('GET', '/api/v1/nodes')).items.filter((n) => n.state === 'Ready').length === 3);
    const after = runs();
    expect(after.filter((l) => l.startsWith(`${j.id} `))).toHaveLength(1);
    expect(new Set(after).size).toBe(after.length);
    expect(after.length).toBe(before.length);
    expect((await events('n-metax')).some((e) => e.type === 'node.lost')).toBe(false);
  }, 60_000);
});

/**
 * Queueing speed: decisions per second of the `tenant-fair` profile (queue admission with quotas per
 * chip and per H20-eq, hierarchical DRF order, preemption, backfill) with 100,000 queued jobs across 50
 * tenants on unicom-2025 (1747 nodes, 22,832 cards), next to the plain placement profile it wraps
 * (`fast`) on the same snapshot and queue in the same run, as the baseline.
 *
 * Scenarios: (1) an empty fleet and 1-card jobs; (2) 64-card gangs; (3) a loaded fleet: 60% of the
 * cards held by running jobs of the same tenants (with estimates, so backfill reserves; some over
 * their quota, so reclaim applies), queued jobs of mixed sizes and priorities (1, 2, 8 cards and
 * 16-card gangs). A "decision" is one queued job decided in one `schedule()` call: bound, rejected or
 * left pending with its reasons. H20-eq weights: none given (1 per card), so no invented figure enters.
 */
import { pathToFileURL } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { builtinFleetDoc, expandFleet } from '../src/fleet/index.js';
import { schedule, seededRng, type QueueConfig, type Running, type SchedJob, type SchedNode, type ScheduleResult, type Snapshot } from '../src/sched/index.js';
import { queueingRegistry, tenantFairProfile } from '../src/sched/queueing/index.js';
import { fleetToSchedNodes as fleetToNodes } from '../src/sched/index.js';

const TENANTS = 50;
const JOBS = 100_000;

function tenantQueues(nodes: SchedNode[]): QueueConfig[] {
  const perChip = new Map<string, number>();
  for (const n of nodes) perChip.set(n.chip, (perChip.get(n.chip) ?? 0) + n.cards);
  const total = [...perChip.values()].reduce((a, b) => a + b, 0);
  const queues: QueueConfig[] = [{ name: 'org' }];
  for (let t = 0; t < TENANTS; t++) {
    // Each tenant: 1/50 of every chip as nominal quota, may borrow as much again; the same in H20-eq.
    const quota: Record<string, unknown> = { h20eq: { nominal: Math.floor(total / TENANTS), borrowingLimit: Math.floor(total / TENANTS) } };
    for (const [chip, cards] of perChip) quota[chip] = { nominal: Math.floor(cards / TENANTS), borrowingLimit: Math.floor(cards / TENANTS) };
    queues.push({ name: `tenant-${t}`, parent: 'org', tenant: `tenant-${t}`, weight: 1 + (t % 3), quota });
  }
  return queues;
}

function makeQueue(n: number, seed: number, shape: (i: number, r: () => number) => Partial<SchedJob>): SchedJob[] {
  const rng = seededRng(seed);
  const r = (): number => rng.next();
  const jobs: SchedJob[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(r() * TENANTS);
    jobs.push({ id: `j${i}`, tenant: `tenant-${t}`, queue: `tenant-${t}`, priority: Math.floor(r() * 4), submitTimeSec: i, cards: 1, milliPerCard: 1000, gang: false, chips: { kind: 'any' }, ...shape(i, r) });
  }
  return jobs;
}

/** Fills `fraction` of the fleet with running jobs of 1..8 cards, tenants at random (some beyond their quota). */
function loadFleet(nodes: SchedNode[], fraction: number, seed: number): { nodes: SchedNode[]; running: Running[] } {
  const rng = seededRng(seed);
  const out = nodes.map((n) => ({ ...n, freeMilli: [...n.freeMilli] }));
  const running: Running[] = [];
  let k = 0;
  for (const n of out) {
    let d = 0;
    while (d < n.cards && rng.next() < fraction * 1.15) {
      const size = Math.min(n.cards - d, 1 + Math.floor(rng.next() * 8));
      const devices = Array.from({ length: size }, (_, i) => d + i);
      for (const dev of devices) n.freeMilli[dev] = 0;
      // Skew: the first tenants hold more than their share, so some of their work is borrowed.
      const t = Math.floor(rng.next() ** 2 * TENANTS);
      running.push({ jobId: `r${k++}`, tenant: `tenant-${t}`, queue: `tenant-${t}`, priority: Math.floor(rng.next() * 4), startTimeSec: 0, borrowed: false, placements: [{ nodeId: n.id, devices, milliPerDevice: 1000 }], chip: n.chip, estimatedDurationSec: 600 + Math.floor(rng.next() * 7200) });
      d += size;
    }
  }
  return { nodes: out, running };
}

interface Timing {
  ms: number;
  result: ScheduleResult;
}

function time(snapshot: Snapshot, queue: SchedJob[], profile: 'fast' | 'tenant-fair'): Timing {
  const catalog = builtinCatalog();
  const ctx = profile === 'fast' ? { profile: 'fast', rng: seededRng(1), catalog } : { profile: tenantFairProfile('fast'), registry: queueingRegistry(), rng: seededRng(1), catalog };
  const t0 = process.hrtime.bigint();
  const result = schedule(snapshot, queue, ctx);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

/**
 * Checks the tenant-fair result against the quotas: cards per tenant and chip (running + bound, minus
 * preempted) must stay within nominal + borrowing limit, unless already above before the call.
 */
function quotaViolations(snapshot: Snapshot, queue: SchedJob[], result: ScheduleResult): number {
  const limit = new Map<string, number>();
  for (const q of snapshot.queues ?? []) for (const [chip, v] of Object.entries((q.quota ?? {}) as Record<string, { nominal: number; borrowingLimit?: number }>)) limit.set(`${q.name}|${chip}`, v.nominal + (v.borrowingLimit ?? 0));
  const before = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number): void => void m.set(k, (m.get(k) ?? 0) + n);
  for (const r of snapshot.running) add(before, `${r.queue}|${r.chip}`, r.placements.reduce((s, p) => s + p.devices.length, 0));
  const after = new Map(before);
  const byId = new Map(queue.map((j) => [j.id, j]));
  for (const d of result.decisions) if (d.kind === 'bind') add(after, `${(byId.get(d.jobId) as SchedJob).queue}|${d.chip}`, d.placements.reduce((s, p) => s + p.devices.length, 0));
  let bad = 0;
  for (const [k, used] of after) if (used > (limit.get(k) ?? Infinity) && used > (before.get(k) ?? 0)) bad++;
  return bad;
}

function describe(label: string, jobs: number, base: Timing, fair: Timing): string[] {
  const count = (r: ScheduleResult, kind: string): number => r.decisions.filter((d) => d.kind === kind).length;
  const line = (name: string, t: Timing): string =>
    `  ${name.padEnd(12)} ${t.ms.toFixed(0).padStart(6)} ms  ${Math.round((jobs / t.ms) * 1000).toLocaleString('en-US').padStart(9)} decisions/s  binds ${count(t.result, 'bind')}, preempts ${count(t.result, 'preempt')}, rejects ${count(t.result, 'reject')}, pending ${Object.keys(t.result.pending).length}`;
  return [label, line('fast', base), line('tenant-fair', fair), `  tenant-fair / fast time: ${(fair.ms / base.ms).toFixed(2)}x`];
}

export async function run(): Promise<string[]> {
  const catalog = builtinCatalog();
  const fleet = expandFleet(builtinFleetDoc('unicom-2025', catalog));
  const nodes = fleetToNodes(fleet);
  const cards = nodes.reduce((s, n) => s + n.cards, 0);
  const queues = tenantQueues(nodes);
  const lines = [`unicom-2025: ${nodes.length} nodes, ${cards} cards; ${TENANTS} tenants; ${JOBS.toLocaleString('en-US')} queued jobs per scenario`];

  const empty: Snapshot = { nodes, running: [], nowSec: 0, queues };
  const ones = makeQueue(JOBS, 1, () => ({}));
  time(empty, ones.slice(0, 2000), 'tenant-fair'); // warm-up (JIT)
  const fair1 = time(empty, ones, 'tenant-fair');
  lines.push(...describe('1) empty fleet, 1-card jobs', JOBS, time(empty, ones, 'fast'), fair1));
  lines.push(`  tenant-fair (queue, chip) pairs over nominal + borrowing limit after the call: ${quotaViolations(empty, ones, fair1.result)}`);

  const gangs = makeQueue(JOBS, 2, () => ({ cards: 64, gang: true }));
  lines.push(...describe('2) empty fleet, 64-card gangs', JOBS, time(empty, gangs, 'fast'), time(empty, gangs, 'tenant-fair')));

  const loaded = loadFleet(nodes, 0.6, 3);
  const busy = loaded.running.reduce((s, r) => s + (r.placements[0]?.devices.length ?? 0), 0);
  const mixed = makeQueue(JOBS, 4, (i, r) => {
    const x = r();
    const est = { estimatedDurationSec: 300 + Math.floor(r() * 7200) };
    if (x < 0.6) return { ...est, priority: Math.floor(r() * 6) };
    if (x < 0.8) return { cards: 2, ...est };
    if (x < 0.95) return { cards: 8, priority: 2 + (i % 3) };
    return { cards: 16, gang: true, priority: 5 };
  });
  const snap: Snapshot = { nodes: loaded.nodes, running: loaded.running, nowSec: 3600, queues };
  const fair3 = time(snap, mixed, 'tenant-fair');
  lines.push(...describe(`3) loaded fleet (${busy} cards busy in ${loaded.running.length} running jobs), mixed queue`, JOBS, time(snap, mixed, 'fast'), fair3));
  lines.push(`  tenant-fair (queue, chip) pairs newly over nominal + borrowing limit after the call: ${quotaViolations(snap, mixed, fair3.result)}`);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await run()) console.log(l);
}

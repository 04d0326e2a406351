import { describe, expect, it } from 'vitest';
import { seededRng } from '../../lib/rng.js';
import { schedule } from '../schedule.js';
import { job, node } from '../test-util/fixtures.js';
import type { Decision, QueueConfig, Running, SchedJob, SchedNode } from '../types.js';
import { tenantFairProfile } from './profiles.js';
import { queueingRegistry } from './register.js';
import { occupy, run } from './test-helpers.js';

const CHIPS = ['nvidia-h20', 'ascend-910b'];

/** A random small world: 2 chips, 2 racks, 4 queues in one cohort with quotas, running work, a queue. */
function world(seed: number) {
  const rng = seededRng(seed);
  const int = (n: number): number => Math.floor(rng.next() * n);
  const nodes: SchedNode[] = [];
  for (let i = 0; i < 6; i++) nodes.push(node(`n${i}`, CHIPS[i % 2] as string, 4 + 4 * int(2), { rack: `r${i % 2}` }));
  const queues: QueueConfig[] = [{ name: 'org' }];
  for (let t = 0; t < 4; t++) queues.push({ name: `q${t}`, parent: 'org', tenant: `t${t}`, quota: Object.fromEntries(CHIPS.map((c) => [c, { nominal: 2 + int(6), borrowingLimit: int(8) }])) });
  const running: Running[] = [];
  let k = 0;
  for (const n of nodes) {
    let d = 0;
    while (d < n.cards && rng.next() < 0.6) {
      const size = Math.min(n.cards - d, 1 + int(3));
      const t = int(4);
      running.push({ jobId: `r${k++}`, tenant: `t${t}`, queue: `q${t}`, priority: int(4), startTimeSec: int(1000), borrowed: false, placements: [{ nodeId: n.id, devices: Array.from({ length: size }, (_, i) => d + i), milliPerDevice: 1000 }], chip: n.chip, ...(rng.next() < 0.5 ? { estimatedDurationSec: 100 + int(2000) } : {}), ...(rng.next() < 0.3 ? { minRuntimeSec: int(2000) } : {}) });
      d += size;
    }
  }
  const queue: SchedJob[] = [];
  for (let i = 0; i < 12; i++) {
    const t = int(4);
    const gang = rng.next() < 0.2;
    queue.push(job(`j${i}`, { tenant: `t${t}`, queue: `q${t}`, priority: int(6), cards: gang ? 4 + int(6) : 1 + int(3), gang, chips: rng.next() < 0.5 ? { kind: 'pinned', chip: CHIPS[int(2)] as string } : { kind: 'any' }, ...(rng.next() < 0.5 ? { estimatedDurationSec: 50 + int(3000) } : {}) }));
  }
  return { nodes: occupy(nodes, running), running, queues, queue, nowSec: 1000 };
}

const cardsOf = (p: { placements: { devices: number[] }[] }): number => p.placements.reduce((s, x) => s + x.devices.length, 0);

describe('invariants over 200 random worlds', () => {
  it('quota, preemption and gang rules hold, and every preemptor fits once its victims are gone', () => {
    let preemptions = 0;
    let binds = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const full = world(seed);
      // Every third world has no queue configuration: no quotas, priority preemption across the cluster.
      const w = seed % 3 === 0 ? { ...full, queues: [] } : full;
      const r = run({ nodes: w.nodes, running: w.running, queues: w.queues, nowSec: w.nowSec }, w.queue);
      const jobs = new Map(w.queue.map((j) => [j.id, j]));
      const runs = new Map<string, Running>(w.running.map((x) => [x.jobId, x]));
      const quota = new Map<string, { nominal: number; borrowingLimit: number }>();
      for (const q of w.queues) for (const [c, v] of Object.entries((q.quota ?? {}) as Record<string, { nominal: number; borrowingLimit: number }>)) quota.set(`${q.name}|${c}`, v);
      // Usage per queue and chip before the call, and once its decisions are applied (evictions and binds).
      const before = new Map<string, number>();
      for (const x of w.running) before.set(`${x.queue}|${x.chip}`, (before.get(`${x.queue}|${x.chip}`) ?? 0) + cardsOf(x));
      const after = new Map(before);
      const preempts = r.decisions.filter((d): d is Extract<Decision, { kind: 'preempt' }> => d.kind === 'preempt');
      for (const p of preempts) {
        const v = runs.get(p.jobId);
        if (v) after.set(`${v.queue}|${v.chip}`, (after.get(`${v.queue}|${v.chip}`) ?? 0) - cardsOf(v));
      }
      for (const d of r.decisions) {
        if (d.kind !== 'bind') continue;
        binds++;
        const j = jobs.get(d.jobId) as SchedJob;
        expect(cardsOf(d)).toBe(j.cards);
        if (j.chips.kind === 'pinned') expect(d.chip).toBe(j.chips.chip);
        const key = `${j.queue}|${d.chip}`;
        after.set(key, (after.get(key) ?? 0) + cardsOf(d));
      }
      for (const [key, used] of after) {
        const q = quota.get(key);
        // Never beyond nominal + borrowing limit through this call's decisions.
        if (q && used > (before.get(key) ?? 0)) expect(used, `seed ${seed} ${key}`).toBeLessThanOrEqual(q.nominal + q.borrowingLimit);
      }
      // Preemptions: a whole running job, once, never protected, lower priority or borrowed by another queue.
      const victims = new Set<string>();
      for (const p of preempts) {
        preemptions++;
        const v = runs.get(p.jobId);
        expect(v, `seed ${seed}`).toBeDefined();
        expect(victims.has(p.jobId)).toBe(false);
        victims.add(p.jobId);
        const pre = jobs.get(p.forJobId) as SchedJob;
        const victim = v as Running;
        expect(w.nowSec - victim.startTimeSec).toBeGreaterThanOrEqual(victim.minRuntimeSec ?? 0);
        const sameQueue = victim.queue === pre.queue || w.queues.length === 0;
        if (sameQueue) expect(victim.priority).toBeLessThan(pre.priority);
        else {
          const used = before.get(`${victim.queue}|${victim.chip}`) ?? 0;
          expect(used, `seed ${seed}: ${victim.jobId} reclaimed from ${victim.queue} within its nominal`).toBeGreaterThan((quota.get(`${victim.queue}|${victim.chip}`) as { nominal: number }).nominal);
        }
      }
      // Apply the call (binds, then evictions): each preemptor, alone in the next call, binds (quota and cards).
      const bindRuns: Running[] = r.decisions
        .filter((d): d is Extract<Decision, { kind: 'bind' }> => d.kind === 'bind')
        .map((d) => {
          const j = jobs.get(d.jobId) as SchedJob;
          return { jobId: d.jobId, tenant: j.tenant, queue: j.queue, priority: j.priority, startTimeSec: w.nowSec, borrowed: false, placements: d.placements, chip: d.chip };
        });
      const evicted = w.running.filter((x) => victims.has(x.jobId)).map((x) => ({ ...x, placements: x.placements.map((pl) => ({ ...pl, milliPerDevice: -pl.milliPerDevice })) }));
      const next = { nodes: occupy(occupy(w.nodes, bindRuns), evicted), running: [...w.running.filter((x) => !victims.has(x.jobId)), ...bindRuns], queues: w.queues, nowSec: w.nowSec + 1 };
      for (const id of new Set(preempts.map((p) => p.forJobId))) {
        const j = jobs.get(id) as SchedJob;
        // The cards are there.
        const cards = schedule({ nodes: next.nodes, running: [], nowSec: next.nowSec }, [j], { profile: 'fast', rng: seededRng(1) });
        expect(cards.decisions.map((d) => d.kind), `seed ${seed}: ${id} has cards after its preemptions`).toEqual(['bind']);
        // And the quota, unless the job borrows and a lender took its own nominal back in the same call
        // (guaranteed quota wins over borrowed: then the reason names the cohort).
        const alone = run(next, [j]);
        if (alone.decisions[0]?.kind !== 'bind') {
          const perChip = CHIPS.map((chip) => JSON.stringify(run(next, [{ ...j, chips: { kind: 'pinned', chip } }]).pending));
          expect(perChip.join(' '), `seed ${seed}: ${id}`).toContain('has no unused quota left to lend');
        }
      }
    }
    // The worlds exercise both paths.
    expect(preemptions).toBeGreaterThan(100);
    expect(binds).toBeGreaterThan(1000);
  });
});

describe('shape-memo changes no decision', () => {
  it('over 200 random worlds with many jobs of the same shapes, with and without it', () => {
    const without = tenantFairProfile();
    without.preFilter = (without.preFilter ?? []).filter((p) => p !== 'shape-memo');
    without.postFilter = (without.postFilter ?? []).filter((p) => p !== 'shape-memo');
    let memoHits = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const full = world(seed);
      const w = seed % 3 === 0 ? { ...full, queues: [] } : full;
      // Copies of each job (same queue and shape) so that the memo has something to answer.
      const queue = w.queue.flatMap((j) => [j, { ...j, id: `${j.id}b`, priority: j.priority - 1 }, { ...j, id: `${j.id}c`, estimatedDurationSec: 10 }]);
      const snap = { nodes: w.nodes, running: w.running, queues: w.queues, nowSec: w.nowSec };
      const a = run(snap, queue);
      const b = schedule({ ...snap }, queue, { profile: without, registry: queueingRegistry(), rng: seededRng(1) });
      expect(a.decisions, `seed ${seed}`).toEqual(b.decisions);
      memoHits += Object.values(a.pending).filter((r) => r[0]?.plugin === 'shape-memo').length;
    }
    expect(memoHits).toBeGreaterThan(100);
  });
});

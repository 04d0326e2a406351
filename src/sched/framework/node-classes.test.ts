import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../plugins/index.js';
import { profileSpec } from '../profiles.js';
import { seededRng } from '../../lib/rng.js';
import { schedule } from '../schedule.js';
import { resolveProfile } from '../schedule.js';
import { job, node } from '../test-util/fixtures.js';
import type { Placement, SchedJob, SchedNode } from '../types.js';
import { ClusterState, jobTag } from './cluster-state.js';
import { Engine } from './engine.js';
import { NodeClasses } from './node-classes.js';

/**
 * Grouping identical nodes is an optimisation only: the same profile must bind the same jobs to the
 * same devices whether it scores one representative per group or every node. A filter that declares
 * `perNode` turns grouping off, which gives the reference run.
 */
describe('groups of identical nodes', () => {
  const registry = builtinRegistry().register('per-node-probe', () => ({ name: 'per-node-probe', perNode: true, filter: () => null }));
  const rng = seededRng(3);
  const nodes: SchedNode[] = Array.from({ length: 60 }, (_, i) =>
    node(`n${i}`, i % 3 === 0 ? 'a' : 'b', i % 4 === 0 ? 4 : 8, { rack: `r${i % 5}`, cpuMilliFree: 64000, memoryMiBFree: 1 << 20, linkDomainSize: i % 2 ? 4 : 8 }),
  );
  const queue: SchedJob[] = Array.from({ length: 400 }, (_, i) => {
    const r = rng.next();
    const shape = r < 0.4 ? { cards: 1, milliPerCard: [250, 500, 700][i % 3] as number } : r < 0.8 ? { cards: [1, 2, 4][i % 3] as number, milliPerCard: 1000 } : r < 0.9 ? { cards: 16, milliPerCard: 1000, gang: true } : { cards: 0, milliPerCard: 0 };
    return job(`j${i}`, { ...shape, cpuMilli: 1000 + (i % 7) * 500, chips: i % 5 === 0 ? { kind: 'pinned', chip: 'a' } : { kind: 'any' } });
  });

  for (const name of ['fgd', 'default', 'best-fit', 'gpu-packing', 'gpu-clustering', 'dot-product']) {
    it(`${name}: the same decisions with and without grouping`, () => {
      const grouped = schedule({ nodes, running: [], nowSec: 0 }, queue, { profile: name, rng: seededRng(1), registry });
      const spec = profileSpec(name);
      spec.filter = [...(spec.filter ?? []), 'per-node-probe'];
      const perNode = schedule({ nodes, running: [], nowSec: 0 }, queue, { profile: spec, rng: seededRng(1), registry });
      expect(grouped.decisions.filter((d) => d.kind === 'bind').length).toBeGreaterThan(50);
      expect(grouped.decisions).toEqual(perNode.decisions);
    });
  }
});

/**
 * A long-lived engine (the simulator's persistent mode) sees node states come and go for millions of
 * cycles: the groups must follow every change and the scan list must stay proportional to the live
 * groups, never to every state seen (it once grew without bound and made a 1M-job run 8x slower).
 */
describe('groups over a long run', () => {
  const nodes = (): SchedNode[] => Array.from({ length: 40 }, (_, i) => node(`n${i}`, i % 2 ? 'a' : 'b', 8, { cpuMilliFree: 64000, memoryMiBFree: 1 << 20, linkDomainSize: 4 }));

  it('track every node and keep the scan list bounded through 20,000 random changes', () => {
    const state = new ClusterState(nodes());
    const classes = new NodeClasses(state);
    const rng = seededRng(11);
    const held: { node: number; devices: number[]; milli: number; tag: number }[] = [];
    let maxScan = 0;
    for (let step = 0; step < 20_000; step++) {
      if (held.length > 0 && (rng.next() < 0.5 || held.length > 120)) {
        const [h] = held.splice(Math.floor(rng.next() * held.length), 1);
        if (h) state.apply(h.node, h.devices, h.milli, 0, 0, h.tag, -1);
      } else {
        const n = Math.floor(rng.next() * state.nodeCount);
        const milli = [1000, 500, 250][Math.floor(rng.next() * 3)] as number;
        const devices: number[] = [];
        for (let k = 0; k < 8 && devices.length < 2; k++) if (state.free(n, k) >= milli && rng.next() < 0.6) devices.push(k);
        if (devices.length === 0) continue;
        const tag = milli < 1000 ? 0 : devices.length;
        state.apply(n, devices, milli, 0, 0, tag, 1);
        held.push({ node: n, devices, milli, tag });
      }
      classes.refresh();
      maxScan = Math.max(maxScan, classes.scanLength);
    }
    const sigs = new Map<string, number[]>();
    for (let n = 0; n < state.nodeCount; n++) sigs.set(state.signature(n), [...(sigs.get(state.signature(n)) ?? []), n]);
    expect(classes.liveCount).toBe(sigs.size);
    // Every group holds exactly the nodes of one signature, lowest rank first.
    const seen = new Set<number>();
    for (let c = 0; c < state.chips.length; c++) {
      for (const id of classes.ofChip(c)) {
        const members = classes.members(id);
        if (members.length === 0) continue;
        const sig = state.signature(members[0] as number);
        expect([...members]).toEqual(sigs.get(sig));
        for (const m of members) seen.add(m);
      }
    }
    expect(seen.size).toBe(state.nodeCount);
    expect(maxScan).toBeLessThanOrEqual(2 * state.nodeCount + 65);
  });

  it('a signature lists job tags in tag order whatever order they arrived in', () => {
    const state = new ClusterState([node('n', 'a', 8, { cpuMilliFree: 1000, memoryMiBFree: 2048 })]);
    state.apply(0, [0, 1, 2, 3], 1000, 0, 0, 4, 1);
    state.apply(0, [5], 300, 0, 0, 0, 1);
    state.apply(0, [5], 200, 0, 0, 0, 1);
    state.apply(0, [7], 1000, 0, 0, 1, 1);
    expect(state.signature(0)).toBe('0|1|1000|2048|0,0,0,0,1000,500,1000,0,|0,2;1,1;4,1');
    state.apply(0, [0, 1, 2, 3], 1000, 0, 0, 4, -1);
    expect(state.signature(0)).toBe('0|1|1000|2048|1000,1000,1000,1000,1000,500,1000,0,|0,2;1,1');
  });

  // Each round calls prepare (a new FGD mix on the same state), so these also catch a plugin memo
  // that outlives its mix: stale entries differ between representatives and every node.
  for (const name of ['best-fit', 'fgd', 'default', 'gpu-clustering']) {
    it(`${name}: an engine kept across 60 rounds of arrivals and completions decides as the per-node scan does`, () => {
      const registry = builtinRegistry().register('per-node-probe', () => ({ name: 'per-node-probe', perNode: true, filter: () => null }));
      const run = (perNode: boolean): string[] => {
        const spec = profileSpec(name);
        if (perNode) spec.filter = [...(spec.filter ?? []), 'per-node-probe'];
        const list = nodes();
        const state = new ClusterState(list);
        const engine = new Engine(state, resolveProfile(spec, registry), { rng: seededRng(2), snapshot: { nodes: list, running: [], nowSec: 0 } });
        const rng = seededRng(9);
        const live: { job: SchedJob; placements: Placement[] }[] = [];
        const log: string[] = [];
        let id = 0;
        for (let round = 0; round < 60; round++) {
          for (let k = Math.floor(live.length * 0.4); k > 0; k--) {
            const [done] = live.splice(Math.floor(rng.next() * live.length), 1);
            if (!done) continue;
            const cards = done.placements.reduce((s, p) => s + p.devices.length, 0);
            for (const p of done.placements) state.apply(state.nodeIndex.get(p.nodeId) as number, p.devices, p.milliPerDevice, ((done.job.cpuMilli ?? 0) * p.devices.length) / cards, 0, jobTag(done.job), -1);
            engine.capacityFreed();
          }
          const queue = Array.from({ length: 30 }, () => {
            const r = rng.next();
            const shape = r < 0.4 ? { cards: 1, milliPerCard: [250, 500, 700][id % 3] as number } : r < 0.85 ? { cards: [1, 2, 4, 8][id % 4] as number, milliPerCard: 1000 } : { cards: 12, milliPerCard: 1000, gang: true };
            return job(`j${id++}`, { ...shape, cpuMilli: 1000 * (1 + (id % 3)) });
          });
          engine.prepare(queue);
          for (const j of engine.order(queue)) {
            const out = engine.scheduleOne(j);
            if (out.kind !== 'bind') continue;
            live.push({ job: j, placements: out.decision.placements });
            log.push(`${j.id}@${out.decision.placements.map((p) => `${p.nodeId}:${p.devices.join('.')}`).join('+')}`);
          }
        }
        return log;
      };
      const grouped = run(false);
      expect(grouped.length).toBeGreaterThan(600);
      expect(grouped).toEqual(run(true));
    });
  }
});

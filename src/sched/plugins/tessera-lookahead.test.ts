import { describe, expect, it } from 'vitest';
import { seededRng } from '../../lib/rng.js';
import { ClusterState } from '../framework/cluster-state.js';
import type { Cycle } from '../framework/plugin.js';
import { job, node } from '../test-util/fixtures.js';
import type { SchedJob } from '../types.js';
import { builtinRegistry } from './index.js';

const registry = builtinRegistry();
const cycleFor = (j: SchedJob, state: ClusterState): Cycle => ({
  job: j, cards: j.cards, milli: j.milliPerCard, cpuMilli: j.cpuMilli ?? 0, memoryMiB: j.memoryMiB ?? 0, tag: 0,
  chipOk: new Uint8Array(state.chips.length).fill(1), scratch: new Map(), ctx: { rng: seededRng(1), snapshot: { nodes: [], running: [], nowSec: 0 } },
});
// Two whole cards, one 700-milli card, one 500-milli card (weights 4:3:5).
const targetMix = [
  { cpuMilli: 0, milli: 1000, cards: 2, chips: null, weight: 0.4 },
  { cpuMilli: 0, milli: 700, cards: 1, chips: null, weight: 0.3 },
  { cpuMilli: 0, milli: 500, cards: 1, chips: null, weight: 0.5 },
];

function run(nodes: ReturnType<typeof node>[], j: SchedJob, args: Record<string, unknown> = {}): { fgd: number[]; lookahead: number[] } {
  const state = new ClusterState(nodes);
  const cycle = cycleFor(j, state);
  const feasible = Int32Array.from(nodes.map((_, i) => i));
  const fgd = registry.create('fgd', { targetMix, deviceChoice: 'exact' });
  const la = registry.create('fgd', { targetMix, deviceChoice: 'exact', lookahead: { k: 2, shapes: 3, ...args } });
  const scores = Float64Array.from(nodes.map((_, i) => la.score!(cycle, state, i)));
  la.normalize!(cycle, state, feasible, scores, nodes.length);
  return { fgd: nodes.map((_, i) => fgd.score!(cycle, state, i)), lookahead: [...scores] };
}

describe('fgd with the tessera look-ahead', () => {
  // A 300-milli job ties under FGD on A and B (equal cards, so plain FGD takes A by rank); counting
  // the fragmentation the next job (one of the three mix shapes) then leaves, B is the better place.
  const a = node('A', 'x', 4, { freeMilli: [700, 500, 700, 500], cpuMilliFree: 64000 });
  const b = node('B', 'x', 4, { freeMilli: [1000, 500, 700, 0], cpuMilliFree: 64000 });
  const share = job('s', { milliPerCard: 300 });

  it('scores FGD integer scores and promotes the look-ahead winner just above the best', () => {
    const r = run([a, b], share);
    expect(r.fgd).toEqual([52, 52]);
    expect(r.lookahead).toEqual([52, 53.01]);
  });

  it('never promotes a node outside FGD\'s k best', () => {
    // C (one 300-milli card) is a third feasible node: whatever FGD scores it, only one of FGD's two
    // best nodes may be promoted and every other score stays FGD's.
    const c = node('C', 'x', 1, { freeMilli: [300] });
    const r = run([a, b, c], share);
    const top2 = [...r.fgd].map((s, i) => ({ s, i })).sort((x, y) => y.s - x.s || x.i - y.i).slice(0, 2).map((e) => e.i);
    const promoted = r.lookahead.findIndex((s, i) => s !== r.fgd[i]);
    expect(promoted).toBeGreaterThanOrEqual(0);
    expect(top2).toContain(promoted);
    r.lookahead.forEach((s, i) => {
      if (i !== promoted) expect(s).toBe(r.fgd[i]);
    });
  });

  it('without the argument fgd has no look-ahead step', () => {
    expect(registry.create('fgd', { targetMix }).normalize).toBeUndefined();
  });

  it('refuses k below 2, unknown fields and a non-object', () => {
    expect(() => registry.create('fgd', { targetMix, lookahead: { k: 1 } })).toThrow(/k/);
    expect(() => registry.create('fgd', { targetMix, lookahead: { depth: 2 } })).toThrow(/depth/);
    expect(() => registry.create('fgd', { targetMix, lookahead: 3 })).toThrow(/lookahead must be an object/);
  });
});

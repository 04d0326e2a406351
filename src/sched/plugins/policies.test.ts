import { describe, expect, it } from 'vitest';
import { ClusterState } from '../framework/cluster-state.js';
import type { Cycle } from '../framework/plugin.js';
import { seededRng } from '../../lib/rng.js';
import { job, node } from '../test-util/fixtures.js';
import type { SchedJob } from '../types.js';
import { builtinRegistry } from './index.js';

const registry = builtinRegistry();
const cycleFor = (j: SchedJob, state: ClusterState): Cycle => ({
  job: j, cards: j.cards, milli: j.milliPerCard, cpuMilli: j.cpuMilli ?? 0, memoryMiB: j.memoryMiB ?? 0, tag: j.milliPerCard < 1000 ? 0 : j.cards,
  chipOk: new Uint8Array(state.chips.length).fill(1), scratch: new Map(), ctx: { rng: seededRng(1), snapshot: { nodes: [], running: [], nowSec: 0 } },
});
const score = (name: string, state: ClusterState, j: SchedJob, n: number, args: Record<string, unknown> = {}): number => {
  const p = registry.create(name, args);
  return p.score!(cycleFor(j, state), state, n);
};

describe('FGD-paper baseline scores (worked examples)', () => {
  // Node A: 8 cards, 2 fully used -> Lg = 6000, 64 cores free. Node B: 8 free cards, 128 cores free.
  const state = new ClusterState([
    node('A', 'x', 8, { freeMilli: [0, 0, 1000, 1000, 1000, 1000, 1000, 1000], cpuMilliFree: 64000 }),
    node('B', 'x', 8, { cpuMilliFree: 128000 }),
  ]);
  const j = job('j', { cards: 1, cpuMilli: 8000 });

  it('best-fit: raw = trunc((1 - ((L-r)cpu/128000*0.5 + (L-r)gpu/8000*0.5)) * 100), then min-max normalised', () => {
    // A: (56000/128000)*0.5 + (5000/8000)*0.5 = 0.21875 + 0.3125 = 0.53125 -> trunc(46.875) = 46
    // B: (120000/128000)*0.5 + (7000/8000)*0.5 = 0.46875 + 0.4375 = 0.90625 -> trunc(9.375) = 9
    expect(score('best-fit', state, j, 0)).toBe(46);
    expect(score('best-fit', state, j, 1)).toBe(9);
    const p = registry.create('best-fit');
    const scores = new Float64Array([46, 9]);
    p.normalize!(cycleFor(j, state), state, Int32Array.from([0, 1]), scores, 2);
    expect([...scores]).toEqual([100, 0]);
  });

  it('dot-product: trunc(100 * (1 - ((Lcpu/M)(rcpu/M) + (Lg/G)(rg/G)) / 2))', () => {
    // A: (64000/128000)(8000/128000) + (6000/8000)(1000/8000) = 0.03125 + 0.09375 = 0.125 -> /2 = 0.0625 -> 93
    // B: (1)(0.0625) + (1)(0.125) = 0.1875 -> /2 = 0.09375 -> trunc(90.625) = 90
    expect(score('dot-product', state, j, 0)).toBe(93);
    expect(score('dot-product', state, j, 1)).toBe(90);
  });

  it('gpu-packing: partly used cards > free cards on a used node > whole free nodes', () => {
    const s = new ClusterState([node('shared', 'x', 4, { freeMilli: [400, 1000, 1000, 1000] }), node('used', 'x', 4, { freeMilli: [0, 1000, 1000, 1000] }), node('free8', 'x', 8), node('free2', 'x', 2)]);
    const share = job('s', { milliPerCard: 300 });
    // shared: the 400-card is picked (tightest); its left 400*100/1000 = 40 -> 100 - 40/10 = 96
    expect(score('gpu-packing', s, share, 0)).toBe(96);
    // used: must take a fully free card -> max(50 - 1, 33) = 49
    expect(score('gpu-packing', s, share, 1)).toBe(49);
    // all free: max(33 - F, F): 8 cards -> 25, 2 cards -> 31
    expect(score('gpu-packing', s, share, 2)).toBe(25);
    expect(score('gpu-packing', s, share, 3)).toBe(31);
    expect(score('gpu-packing', s, job('cpu', { cards: 0, milliPerCard: 0 }), 0)).toBe(0);
  });

  it('gpu-clustering: b = 25*(8000-Lg)/8000 plus 75/50/25/0 by the kinds of jobs already there', () => {
    const s = new ClusterState([node('n', 'x', 8)], [{ jobId: 'r', tenant: 't', queue: 'q', priority: 0, startTimeSec: 0, borrowed: false, chip: 'x', placements: [{ nodeId: 'n', devices: [0, 1], milliPerDevice: 1000 }] }]);
    s.apply(0, [0, 1], 1000, 0, 0, 2, 1);
    // The snapshot's free milli already excludes running work; the apply takes 2 more cards: Lg = 6000,
    // b = 25*2000/8000 = 6; the node holds only 2-card jobs (the running one and this one).
    expect(score('gpu-clustering', s, job('two', { cards: 2 }), 0)).toBe(6 + 75);
    expect(score('gpu-clustering', s, job('one', { cards: 1 }), 0)).toBe(6);
    const empty = new ClusterState([node('e', 'x', 8)]);
    expect(score('gpu-clustering', empty, job('one', { cards: 1 }), 0)).toBe(25);
  });
});

describe('fgd plugin', () => {
  const mix = [{ cpuMilli: 0, milli: 500, cards: 1, chips: null, weight: 1 }];
  it('scores trunc(100*sigmoid((F(n)-F(n`))/1000)) and picks the card that keeps a whole card usable', () => {
    // Node: cards with 500 and 1000 free. A 500-milli job on the 500-card leaves [0, 1000]: F stays 0 -> 50.
    // On the 1000-card it leaves [500, 500]: both still fit a 500 job -> F = 0 too. Both reach 50;
    // the first card that reaches the best score wins, as in FGD.
    const s = new ClusterState([node('n', 'x', 2, { freeMilli: [500, 1000] })]);
    const fgd = registry.create('fgd', { targetMix: mix });
    const j = job('j', { milliPerCard: 500 });
    const c = cycleFor(j, s);
    expect(fgd.score!(c, s, 0)).toBe(50);
    const mix2 = [{ cpuMilli: 0, milli: 1000, cards: 1, chips: null, weight: 1 }];
    // Against a mix of whole-card jobs: taking the 500-card gives [0, 1000] (F 0 -> 0: +500 gain ... from F=500), taking the 1000-card gives [500, 500] (F = 1000).
    // F(n) = 500 (the 500-card is a fragment). Gains: +500 -> trunc(100*sigmoid(0.5)) = 62; -500 -> 37.
    const fgd2 = registry.create('fgd', { targetMix: mix2 });
    expect(fgd2.score!(cycleFor(j, s), s, 0)).toBe(62);
  });

  it('refuses a malformed target mix', () => {
    expect(() => registry.create('fgd', { targetMix: [{ cpuMilli: 1 }] })).toThrow(/targetMix\[0\]/);
  });
});

describe('topology and preference scores', () => {
  it('link-domain: 100 when one domain holds all the cards, 50 when they must cross', () => {
    const s = new ClusterState([node('m', 'x', 8, { linkDomainSize: 4, freeMilli: [0, 1000, 1000, 1000, 1000, 1000, 0, 0] })]);
    expect(score('link-domain', s, job('four', { cards: 4 }), 0)).toBe(50);
    expect(score('link-domain', s, job('three', { cards: 3 }), 0)).toBe(100);
  });

  it('node-size prefers small nodes (or large ones)', () => {
    const s = new ClusterState([node('a', 'x', 2), node('b', 'x', 8)]);
    expect(score('node-size', s, job('j'), 0)).toBe(75);
    expect(score('node-size', s, job('j'), 1)).toBe(0);
    expect(score('node-size', s, job('j'), 1, { prefer: 'large' })).toBe(100);
  });

  it('cpu-job-packing sends CPU-only jobs to nodes whose cards are taken', () => {
    const s = new ClusterState([node('busy', 'x', 4, { freeMilli: [0, 0, 0, 1000] }), node('idle', 'x', 4)]);
    expect(score('cpu-job-packing', s, job('c', { cards: 0, milliPerCard: 0 }), 0)).toBe(75);
    expect(score('cpu-job-packing', s, job('c', { cards: 0, milliPerCard: 0 }), 1)).toBe(0);
    expect(score('cpu-job-packing', s, job('g'), 0)).toBe(0);
  });
});

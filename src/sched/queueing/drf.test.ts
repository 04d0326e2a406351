import { describe, expect, it } from 'vitest';
import { job, node } from '../test-util/fixtures.js';
import { bound, occupy, q, run, running } from './test-helpers.js';

const H20 = { kind: 'pinned', chip: 'nvidia-h20' } as const;

describe('drf-order: dominant resource fairness across tenants', () => {
  // Fleet: 8 H100 (3 H20-eq each) + 16 H20 => capacities: h100 8, h20 16, h20eq 8*3 + 16 = 40.
  const nodes = [node('g1', 'nvidia-h100', 8), node('h1', 'nvidia-h20', 8), node('h2', 'nvidia-h20', 8)];
  const h20eq = { 'nvidia-h100': 3, 'nvidia-h20': 1 };
  // alpha runs 5 H100: shares h100 5/8 = .625, h20eq 15/40 = .375 -> dominant .625.
  // beta runs 6 H20:   shares h20 6/16 = .375, h20eq 6/40 = .15  -> dominant .375.
  const runs = [running('ra', 'default', 'alpha', 'g1', [0, 1, 2, 3, 4], { chip: 'nvidia-h100' }), running('rb', 'default', 'beta', 'h1', [0, 1, 2, 3, 4, 5])];
  const queue = [
    job('a1', { tenant: 'alpha', queue: 'default', chips: H20, submitTimeSec: 1 }),
    job('a2', { tenant: 'alpha', queue: 'default', chips: H20, submitTimeSec: 2 }),
    job('b1', { tenant: 'beta', queue: 'default', cards: 3, chips: H20, submitTimeSec: 3 }),
    job('b2', { tenant: 'beta', queue: 'default', cards: 3, chips: H20, submitTimeSec: 4 }),
    job('b3', { tenant: 'beta', queue: 'default', cards: 3, chips: H20, submitTimeSec: 5 }),
  ];

  it('serves the tenant with the lowest dominant share first, re-evaluated after each job', () => {
    // beta .375 < alpha .625 -> b1: beta h20 9/16 = .5625
    // beta .5625 < .625      -> b2: beta h20 12/16 = .75
    // alpha .625 < .75       -> a1: alpha h20 1/16, h20eq 16/40 = .4; dominant stays .625 (h100)
    // alpha .625 < .75       -> a2: dominant .625
    // only beta left         -> b3 (3 cards; 16 - 6 - 3 - 3 - 1 - 1 = 2 free H20s: it waits)
    const r = run({ nodes: occupy(nodes, runs), running: runs }, queue, { h20eq });
    expect(bound(r)).toEqual(['b1', 'b2', 'a1', 'a2']);
    expect(Object.keys(r.pending)).toEqual(['b3']);
  });

  it('a larger weight entitles a tenant to a larger share', () => {
    // With beta at weight 0.5 its weighted shares double: .75 > alpha's .625, so alpha goes first:
    // a1, a2 (alpha stays .625), then beta's jobs.
    const queues = [q('alpha'), q('beta', { weight: 0.5 })];
    const runsQ = runs.map((r) => ({ ...r, queue: r.tenant }));
    const queueQ = queue.map((j) => ({ ...j, queue: j.tenant }));
    const r = run({ nodes: occupy(nodes, runsQ), running: runsQ, queues }, queueQ, { h20eq });
    expect(bound(r)).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

});

describe('drf-order: H20-eq weighting', () => {
  // 8 H100 worth 2 H20 each + 24 H20: capacities h100 8, h20 24, h20eq 16 + 24 = 40.
  const nodes = [node('g1', 'nvidia-h100', 8), node('h1', 'nvidia-h20', 8), node('h2', 'nvidia-h20', 8), node('h3', 'nvidia-h20', 8)];
  const h20eq = { 'nvidia-h100': 2, 'nvidia-h20': 1 };
  // P: 4 H100          -> h100 4/8 = .5,               H20-eq 8/40 = .2
  // Q: 12 H20          -> h20 12/24 = .5,              H20-eq 12/40 = .3
  // R: 1 H100 + 9 H20  -> h100 .125, h20 9/24 = .375,  H20-eq (2 + 9)/40 = .275
  const runs = [
    running('p', 'default', 'P', 'g1', [0, 1, 2, 3], { chip: 'nvidia-h100' }),
    running('q1', 'default', 'Q', 'h1', [0, 1, 2, 3, 4, 5, 6, 7]),
    running('q2', 'default', 'Q', 'h2', [0, 1, 2, 3]),
    running('r1', 'default', 'R', 'g1', [4], { chip: 'nvidia-h100' }),
    running('r2', 'default', 'R', 'h2', [4, 5, 6, 7]),
    running('r3', 'default', 'R', 'h3', [0, 1, 2, 3, 4]),
  ];
  const jobs = ['P', 'Q', 'R'].map((t, i) => job(`${t}-1`, { tenant: t, queue: 'default', chips: H20, submitTimeSec: i }));

  it('dominant basis: R (.375) first; P and Q tie at .5 and the smaller H20-eq share (P, .2) goes first', () => {
    expect(bound(run({ nodes: occupy(nodes, runs), running: runs }, jobs, { h20eq }))).toEqual(['R-1', 'P-1', 'Q-1']);
  });

  it('h20eq basis: P (.2), R (.275), Q (.3)', () => {
    expect(bound(run({ nodes: occupy(nodes, runs), running: runs }, jobs, { h20eq, shareBasis: 'h20eq' }))).toEqual(['P-1', 'R-1', 'Q-1']);
  });
});

describe('drf-order: priorities', () => {
  const nodes = [node('h1', 'nvidia-h20', 8)];

  it('inside a queue, higher priority first, then earlier submission', () => {
    const jobs = [job('low', { priority: 0, submitTimeSec: 0 }), job('high-late', { priority: 5, submitTimeSec: 9 }), job('high-early', { priority: 5, submitTimeSec: 1 })];
    const r = run({ nodes }, jobs);
    expect(bound(r)).toEqual(['high-early', 'high-late', 'low']);
  });

  it('a sibling queue with a higher priority is served before fair share', () => {
    const queues = [q('batch'), q('prod', { priority: 10 })];
    const runs = [running('p0', 'prod', 'prod', 'h1', [0, 1, 2, 3])];
    const jobs = [job('b1', { tenant: 'batch', queue: 'batch' }), job('p1', { tenant: 'prod', queue: 'prod' })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues }, jobs);
    expect(bound(r)).toEqual(['p1', 'b1']);
  });

  it('time-based fair share: a queue that used much in the past waits behind one that did not', () => {
    // Both use nothing now; with historyWeight 1, pastShare decides: old .6 > fresh .1.
    const queues = [q('old', { pastShare: 0.6 }), q('fresh', { pastShare: 0.1 })];
    const jobs = [job('o1', { tenant: 'old', queue: 'old' }), job('f1', { tenant: 'fresh', queue: 'fresh' })];
    expect(bound(run({ nodes, queues }, jobs, { historyWeight: 1 }))).toEqual(['f1', 'o1']);
    expect(bound(run({ nodes, queues }, jobs, { historyWeight: 0 }))).toEqual(['o1', 'f1']);
  });
});

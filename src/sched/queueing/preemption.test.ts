import { describe, expect, it } from 'vitest';
import { ClusterState } from '../framework/cluster-state.js';
import { job, node } from '../test-util/fixtures.js';
import { QueueBook } from './queue-book.js';
import { bound, occupy, preempted, q, reasons, run, running } from './test-helpers.js';
import { Trial } from './trial.js';

describe('queue-preemption: priority', () => {
  const nodes = [node('n1', 'nvidia-h20', 4)];

  it('preempts the lowest priority first, and only as much as needed', () => {
    // n1 is full: L0 (prio 0, 2 cards), L1 (prio 1, 2 cards). H (prio 10) needs 2: L0 goes, L1 stays.
    const runs = [running('L1', 'default', 't', 'n1', [0, 1], { priority: 1 }), running('L0', 'default', 't', 'n1', [2, 3], { priority: 0 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, [job('H', { tenant: 't', queue: 'default', cards: 2, priority: 10 })]);
    expect(preempted(r)).toEqual([{ kind: 'preempt', jobId: 'L0', forJobId: 'H', reason: 'lower priority (0 < 10): preempted to free cards for H' }]);
    expect(bound(r)).toEqual([]);
  });

  it('among equal priorities, loses the least work (cards x seconds run)', () => {
    // At t=1000: A ran 1000 s on 2 cards (2000 card-s), B ran 100 s on 2 cards (200 card-s): B goes.
    const runs = [running('A', 'default', 't', 'n1', [0, 1], { startTimeSec: 0 }), running('B', 'default', 't', 'n1', [2, 3], { startTimeSec: 900 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 1000 }, [job('H', { cards: 2, priority: 5 })]);
    expect(preempted(r).map((d) => d.jobId)).toEqual(['B']);
  });

  it('never preempts equal or higher priority, and never when the preemptor would still not fit', () => {
    // H needs all 4 cards; L (prio 0) holds 2, M (prio 20) holds 2: even without L, H does not fit.
    const runs = [running('L', 'default', 't', 'n1', [0, 1]), running('M', 'default', 't', 'n1', [2, 3], { priority: 20 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, [job('H', { cards: 4, priority: 10 })]);
    expect(preempted(r)).toEqual([]);
    expect(reasons(r, 'H')).toContain('not enough free cards');
  });

  it('respects the minimum runtime: a protected job is passed over for an unprotected one', () => {
    // L0 (prio 0) started 100 s ago with minRuntimeSec 3600: protected. L1 (prio 1) is not: it goes.
    const runs = [running('L0', 'default', 't', 'n1', [0, 1], { startTimeSec: 0, minRuntimeSec: 3600 }), running('L1', 'default', 't', 'n1', [2, 3], { priority: 1, startTimeSec: 0 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, [job('H', { cards: 2, priority: 10 })]);
    expect(preempted(r).map((d) => d.jobId)).toEqual(['L1']);
    // Past its minimum runtime, L0 (lower priority) is the victim again.
    const later = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 4000 }, [job('H', { cards: 2, priority: 10 })]);
    expect(preempted(later).map((d) => d.jobId)).toEqual(['L0']);
  });

  it('the profile-wide minimum runtime protects jobs that carry none', () => {
    const runs = [running('L', 'default', 't', 'n1', [0, 1, 2, 3], { startTimeSec: 0 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 100 }, [job('H', { cards: 2, priority: 10 })], { minRuntimeSec: 600 });
    expect(preempted(r)).toEqual([]);
  });
});

describe('queue-preemption: gangs', () => {
  // Two 4-card nodes. G is a gang with 2 cards on each node, reported as two entries with the same id.
  const nodes = [node('n1', 'nvidia-h20', 4), node('n2', 'nvidia-h20', 4)];
  const g1 = running('G', 'default', 't', 'n1', [0, 1]);
  const g2 = running('G', 'default', 't', 'n2', [0, 1]);

  it('counts a gang as a whole: a 2-card job is cheaper to preempt than a gang holding 4', () => {
    const runs = [g1, g2, running('S', 'default', 't', 'n1', [2, 3]), running('T', 'default', 't', 'n2', [2, 3])];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 10 }, [job('H', { cards: 2, priority: 10 })]);
    expect(preempted(r).map((d) => d.jobId)).toEqual(['S']);
  });

  it('preempts all of a gang or none: one decision for the whole gang, both halves freed', () => {
    // n1: G's half + P (protected); n2: G's half + Q (protected). H needs 2 cards on one node: only G can go.
    // H is a 4-card gang: after G goes, 2 + 2 free cards across n1 and n2 hold it.
    const runs = [g1, g2, running('P', 'default', 't', 'n1', [2, 3], { minRuntimeSec: 1e6 }), running('Q', 'default', 't', 'n2', [2, 3], { minRuntimeSec: 1e6 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 10 }, [job('H', { cards: 4, gang: true, priority: 10 })]);
    expect(preempted(r)).toEqual([{ kind: 'preempt', jobId: 'G', forJobId: 'H', reason: 'lower priority (0 < 10): preempted to free cards for H' }]);
  });

  it('a gang preemptor takes no victims when even all of them would not make room', () => {
    const runs = [g1, g2, running('P', 'default', 't', 'n1', [2, 3], { minRuntimeSec: 1e6 }), running('Q', 'default', 't', 'n2', [2, 3], { minRuntimeSec: 1e6 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, nowSec: 10 }, [job('H', { cards: 6, gang: true, priority: 10 })]);
    expect(preempted(r)).toEqual([]);
  });
});

describe('queue-preemption: reclaiming borrowed quota', () => {
  const B = 'ascend-910b';
  const nodes = [node('n1', B, 8)];
  const queues = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: 4 } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: 4 } })];

  it('a queue within its nominal quota reclaims borrowed work first, whatever its priority', () => {
    // team-b runs b-own (4, prio 0, within nominal) and b-borrowed (4, prio 50, started later: the
    // excess over nominal). team-a asks for its nominal 4: b-borrowed goes, not the lower-priority b-own.
    const runs = [
      running('b-own', 'team-b', 'b', 'n1', [0, 1, 2, 3], { chip: B, startTimeSec: 0 }),
      running('b-borrowed', 'team-b', 'b', 'n1', [4, 5, 6, 7], { chip: B, startTimeSec: 10, priority: 50 }),
    ];
    // Derived alone, the excess would be the lowest-priority job (b-own); the caller's flag says otherwise.
    runs[1] = { ...(runs[1] as (typeof runs)[number]), borrowed: true };
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues, nowSec: 100 }, [job('a1', { tenant: 'a', queue: 'team-a', cards: 4, chips: { kind: 'pinned', chip: B } })]);
    expect(preempted(r)).toEqual([
      { kind: 'preempt', jobId: 'b-borrowed', forJobId: 'a1', reason: "reclaiming quota: queue team-b runs this job on borrowed quota (ascend-910b), needed by a1 within its queue's nominal quota" },
    ]);
  });

  it('without a borrowed flag, the lowest-priority, latest-started jobs over nominal are the borrowed ones', () => {
    const runs = [running('b1', 'team-b', 'b', 'n1', [0, 1, 2, 3], { chip: B, startTimeSec: 0 }), running('b2', 'team-b', 'b', 'n1', [4, 5, 6, 7], { chip: B, startTimeSec: 10 })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues, nowSec: 100 }, [job('a1', { tenant: 'a', queue: 'team-a', cards: 4, chips: { kind: 'pinned', chip: B } })]);
    expect(preempted(r).map((d) => d.jobId)).toEqual(['b2']);
  });

  it('a queue beyond its nominal quota cannot reclaim from other queues', () => {
    // team-a already runs its 4 (a0, same priority as a1); a second job of team-a would borrow (from
    // team-c's unused 8): it may not evict team-b's borrowed work, even at a lower priority.
    const runs = [running('a0', 'team-a', 'a', 'n1', [0, 1, 2, 3], { chip: B, priority: 10 }), running('b2', 'team-b', 'b', 'n1', [4, 5, 6, 7], { chip: B, priority: -5 })];
    const queues2 = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: 4 } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: 4 } }), q('team-c', { parent: 'org', tenant: 'c', quota: { [B]: 8 } })];
    const r = run({ nodes: occupy(nodes, runs), running: runs, queues: queues2, nowSec: 100 }, [job('a1', { tenant: 'a', queue: 'team-a', cards: 4, priority: 10, chips: { kind: 'pinned', chip: B } })]);
    expect(preempted(r)).toEqual([]);
  });

  it('quota full: a higher-priority job preempts lower-priority work of its own queue', () => {
    const nodes2 = [node('n1', B, 8), node('n2', B, 8)];
    const queues1 = [q('team-a', { tenant: 'a', quota: { [B]: 4 } })];
    const runs = [running('a-low', 'team-a', 'a', 'n1', [0, 1, 2, 3], { chip: B })];
    const r = run({ nodes: occupy(nodes2, runs), running: runs, queues: queues1, nowSec: 100 }, [job('a-high', { tenant: 'a', queue: 'team-a', cards: 2, priority: 5, chips: { kind: 'pinned', chip: B } })]);
    expect(preempted(r)).toEqual([{ kind: 'preempt', jobId: 'a-low', forJobId: 'a-high', reason: 'lower priority (0 < 5): preempted to free quota in queue team-a for a-high' }]);
    expect(reasons(r, 'a-high')).toContain('queue team-a: quota for ascend-910b exhausted (4/4 cards');
  });

  it('maxPreemptionsPerCall limits the churn of one call', () => {
    const nodes1 = [node('n1', 'nvidia-h20', 4)];
    const runs = ['L1', 'L2', 'L3', 'L4'].map((id, i) => running(id, 'default', 't', 'n1', [i]));
    const queue = ['H1', 'H2', 'H3'].map((id) => job(id, { priority: 10 }));
    expect(preempted(run({ nodes: occupy(nodes1, runs), running: runs, nowSec: 100 }, queue)).length).toBe(3);
    expect(preempted(run({ nodes: occupy(nodes1, runs), running: runs, nowSec: 100 }, queue, { maxPreemptionsPerCall: 2 })).map((d) => d.forJobId)).toEqual(['H1', 'H2']);
  });

  it('victims are chosen once per call', () => {
    // Two preemptors, one victim that frees room for one of them only.
    const nodes1 = [node('n1', 'nvidia-h20', 2)];
    const runs = [running('L', 'default', 't', 'n1', [0, 1])];
    const r = run({ nodes: occupy(nodes1, runs), running: runs, nowSec: 100 }, [job('H1', { cards: 2, priority: 10 }), job('H2', { cards: 1, priority: 9 })]);
    expect(preempted(r).map((d) => `${d.jobId}->${d.forJobId}`)).toEqual(['L->H1']);
  });
});

describe('what-if releases leave the cluster state as they found it', () => {
  it('a gang listed per node is released and restored with the tags the state counted', () => {
    const nodes = [node('n1', 'nvidia-h20', 4), node('n2', 'nvidia-h20', 4)];
    const runs = [running('G', 'default', 't', 'n1', [0, 1]), running('G', 'default', 't', 'n2', [0, 1])];
    const snapshot = { nodes: occupy(nodes, runs), running: runs, nowSec: 0 };
    const state = new ClusterState(snapshot.nodes, runs);
    const before = [state.signature(0), state.signature(1)];
    const book = new QueueBook(state, snapshot);
    const trial = new Trial(state);
    trial.release(book.runs[0] as (typeof book.runs)[number]);
    expect(state.freeWhole[0]).toBe(4);
    trial.undo();
    expect([state.signature(0), state.signature(1)]).toEqual(before);
  });
});

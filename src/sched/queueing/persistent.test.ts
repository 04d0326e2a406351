import { describe, expect, it } from 'vitest';
import { ClusterState } from '../framework/cluster-state.js';
import { Engine } from '../framework/engine.js';
import { seededRng } from '../../lib/rng.js';
import { resolveProfile } from '../schedule.js';
import { job, node } from '../test-util/fixtures.js';
import type { Running, SchedJob, Snapshot } from '../types.js';
import { tenantFairProfile } from './profiles.js';
import { queueingRegistry } from './register.js';
import { occupy, q, running } from './test-helpers.js';

/** One cluster state and engine across calls, as the simulator's persistent engine keeps them. */
function persistent(snapshot: Snapshot) {
  const state = new ClusterState(snapshot.nodes, snapshot.running);
  const engine = new Engine(state, resolveProfile(tenantFairProfile(), queueingRegistry()), { rng: seededRng(1), snapshot });
  const call = (queue: SchedJob[]) => {
    engine.prepare(queue);
    const out: string[] = [];
    for (const j of engine.order(queue)) {
      const o = engine.scheduleOne(j);
      out.push(o.kind === 'bind' ? `bind ${j.id}` : o.kind === 'reject' ? `reject ${j.id}` : `pending ${j.id}`);
    }
    return out;
  };
  return { state, call };
}

describe('queueing plugins on a long-lived cluster state', () => {
  it('holds of one call are given back at the next, and the book follows the running work', () => {
    const runs: Running[] = [running('R', 'default', 't', 'n1', [0, 1, 2, 3, 4, 5], { estimatedDurationSec: 1000, priority: 20 })];
    const snapshot: Snapshot = { nodes: occupy([node('n1', 'nvidia-h20', 8)], runs), running: runs, nowSec: 100 };
    const { state, call } = persistent(snapshot);
    expect(state.chipFreeWhole[0]).toBe(2);
    // HEAD is blocked and holds the 2 free cards for the rest of the call.
    expect(call([job('HEAD', { cards: 8, priority: 10 }), job('x', { priority: 1 })])).toEqual(['pending HEAD', 'pending x']);
    expect(state.chipFreeWhole[0]).toBe(0);
    // Next call, without HEAD: the hold is gone and x binds.
    expect(call([job('x', { priority: 1 })])).toEqual(['bind x']);
    expect(state.chipFreeWhole[0]).toBe(1);
  });

  it('quota usage is re-read from the running work at each call', () => {
    const B = 'ascend-910b';
    const runs: Running[] = [running('a0', 'team-a', 'a', 'n1', [0, 1, 2, 3], { chip: B })];
    const snapshot: Snapshot = { nodes: occupy([node('n1', B, 8)], runs), running: runs, nowSec: 0, queues: [q('team-a', { tenant: 'a', quota: { [B]: 4 } })] };
    const { state, call } = persistent(snapshot);
    const a1 = job('a1', { tenant: 'a', queue: 'team-a', cards: 2 });
    expect(call([a1])).toEqual(['pending a1']);
    // a0 finishes: the caller gives its cards back and drops it from the running list.
    state.apply(0, [0, 1, 2, 3], 1000, 0, 0, 4, -1);
    snapshot.running = [];
    expect(call([a1])).toEqual(['bind a1']);
  });
});

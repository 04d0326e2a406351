import { describe, expect, it } from 'vitest';
import { job, node } from '../test-util/fixtures.js';
import type { Running, ScheduleResult, SchedJob, SchedNode, Snapshot } from '../types.js';
import { occupy, q, run, running } from './test-helpers.js';

/**
 * A tiny driver over several calls, as the simulator and the control plane use the engine: binds start
 * jobs, preemptions evict them, jobs with an estimate end on time.
 */
class Driver {
  nodes: SchedNode[];
  running: Running[];
  queue: SchedJob[];
  log: string[] = [];
  constructor(
    nodes: SchedNode[],
    running: Running[],
    queue: SchedJob[],
    readonly queues: Snapshot['queues'] = undefined,
  ) {
    this.nodes = occupy(nodes, running);
    this.running = running;
    this.queue = queue;
  }

  step(nowSec: number): ScheduleResult {
    // Jobs whose estimate has run out end first.
    for (const r of [...this.running]) if (r.estimatedDurationSec !== undefined && r.startTimeSec + r.estimatedDurationSec <= nowSec) this.remove(r.jobId, `t=${nowSec} end ${r.jobId}`);
    const result = run({ nodes: this.nodes, running: this.running, nowSec, ...(this.queues ? { queues: this.queues } : {}) }, this.queue);
    for (const d of result.decisions) {
      if (d.kind === 'preempt') this.remove(d.jobId, `t=${nowSec} preempt ${d.jobId} for ${d.forJobId}`);
      if (d.kind !== 'bind') continue;
      const j = this.queue.find((x) => x.id === d.jobId) as SchedJob;
      this.queue = this.queue.filter((x) => x !== j);
      const r: Running = { jobId: j.id, tenant: j.tenant, queue: j.queue, priority: j.priority, startTimeSec: nowSec, borrowed: false, placements: d.placements, chip: d.chip, ...(j.estimatedDurationSec !== undefined ? { estimatedDurationSec: j.estimatedDurationSec } : {}) };
      this.running = [...this.running, r];
      this.nodes = occupy(this.nodes, [r]);
      this.log.push(`t=${nowSec} bind ${j.id}`);
    }
    return result;
  }

  private remove(jobId: string, line: string): void {
    const gone = this.running.filter((r) => r.jobId === jobId);
    this.running = this.running.filter((r) => r.jobId !== jobId);
    this.nodes = occupy(this.nodes, gone.map((r) => ({ ...r, placements: r.placements.map((p) => ({ ...p, milliPerDevice: -p.milliPerDevice })) })));
    this.log.push(line);
  }
}

describe('several calls', () => {
  it('reclaim: the borrowed job is evicted, then the owner of the quota binds on the freed cards', () => {
    const B = 'ascend-910b';
    const queues = [q('org'), q('team-a', { parent: 'org', tenant: 'a', quota: { [B]: 4 } }), q('team-b', { parent: 'org', tenant: 'b', quota: { [B]: 4 } })];
    const runs = [running('b1', 'team-b', 'b', 'n1', [0, 1, 2, 3], { chip: B }), running('b2', 'team-b', 'b', 'n1', [4, 5, 6, 7], { chip: B, startTimeSec: 10 })];
    const d = new Driver([node('n1', B, 8)], runs, [job('a1', { tenant: 'a', queue: 'team-a', cards: 4, chips: { kind: 'pinned', chip: B } }), job('b3', { tenant: 'b', queue: 'team-b', cards: 4, chips: { kind: 'pinned', chip: B } })], queues);
    d.step(100);
    d.step(101);
    d.step(102);
    // b3 never gets the cards back: team-b is at its nominal 4 and nothing is left to borrow.
    expect(d.log).toEqual(['t=100 preempt b2 for a1', 't=101 bind a1']);
  });

  it('backfill: the head starts when its reservation said, the short job ran meanwhile, the long one after', () => {
    const runs = [running('R', 'default', 't', 'n1', [0, 1, 2, 3, 4, 5], { estimatedDurationSec: 1000, priority: 20 })];
    const queue = [job('HEAD', { cards: 8, priority: 10, estimatedDurationSec: 500 }), job('short', { priority: 5, estimatedDurationSec: 500 }), job('long', { priority: 4, estimatedDurationSec: 5000 })];
    const d = new Driver([node('n1', 'nvidia-h20', 8)], runs, queue);
    for (const t of [100, 600, 1000, 1500]) d.step(t);
    expect(d.log).toEqual(['t=100 bind short', 't=600 end short', 't=1000 end R', 't=1000 bind HEAD', 't=1500 end HEAD', 't=1500 bind long']);
  });

  it('priority preemption converges: one eviction, then the preemptor runs and nothing else moves', () => {
    const runs = [running('low', 'default', 't', 'n1', [0, 1, 2, 3], { priority: 0 })];
    const d = new Driver([node('n1', 'nvidia-h20', 4)], runs, [job('high', { cards: 4, priority: 9 }), job('mid', { cards: 2, priority: 5 })]);
    for (const t of [10, 11, 12]) d.step(t);
    expect(d.log).toEqual(['t=10 preempt low for high', 't=11 bind high']);
  });
});

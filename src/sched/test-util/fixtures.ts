import type { SchedJob, SchedNode } from '../types.js';

/** Small builders for scenario tests: a node of `cards` free cards and a job with defaults. */
export function node(id: string, chip: string, cards: number, extra: Partial<SchedNode> = {}): SchedNode {
  return { id, chip, cluster: 'c1', rack: 'r1', linkDomainSize: cards, cards, freeMilli: new Array<number>(cards).fill(1000), schedulable: true, ...extra };
}

export function job(id: string, extra: Partial<SchedJob> = {}): SchedJob {
  return { id, tenant: 't', queue: 'q', priority: 0, submitTimeSec: 0, cards: 1, milliPerCard: 1000, gang: false, chips: { kind: 'any' }, ...extra };
}

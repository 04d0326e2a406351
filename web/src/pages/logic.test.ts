import { describe, expect, it } from 'vitest';
import type { Heatmap, Job } from '../api/views';
import { fleetModel } from './fleet-model';
import { timeline } from './job-detail';
import { specOf, type SubmitForm } from './job-submit';
import { matchJobs } from './jobs';
import { replicasPerChip } from './services';
import { tenantRows } from './tenants';

const job = (over: Partial<Job> = {}): Job => ({
  id: 'job-1', name: 'train-a', kind: 'training', state: 'Pending', tenant: 't1', queue: 'default', priority: 0, version: 1, attempt: 1, cards: 2, milliPerCard: 1000,
  chip: null, placements: [], reason: null, exitCode: null, serviceId: null, submittedAtMs: 1000, updatedAtMs: 1000, startedAtMs: null, finishedAtMs: null, notBeforeMs: null, spec: {}, ...over,
});

describe('fleetModel', () => {
  const h: Heatmap = {
    atMs: 0,
    chips: [{ id: 'nvidia-h20', vendor: 'nvidia' }, { id: 'ascend-910b', vendor: 'huawei' }],
    nodes: [
      { id: 'a', cluster: 'c', chip: 0, state: 'Ready', schedulable: true, first: 0, cards: 2 },
      { id: 'b', cluster: 'c', chip: 1, state: 'Lost', schedulable: true, first: 2, cards: 2 },
    ],
    used: [1000, 500, 0, 250],
    unhealthy: [1],
  };
  it('sums allocation and health per node and marks lost nodes', () => {
    const m = fleetModel(h, { chip: '', vendor: '', health: '' });
    expect(m.nodes.map((n) => [n.id, n.usedMilli, n.unhealthy])).toEqual([['a', 1500, 1], ['b', 250, 0]]);
    expect([...m.data.lost]).toEqual([0, 0, 1, 1]);
    expect(m.visibleDevices).toBe(4);
  });
  it('filters by chip, vendor and health', () => {
    expect([...fleetModel(h, { chip: 'ascend-910b', vendor: '', health: '' }).data.visible]).toEqual([0, 0, 1, 1]);
    expect([...fleetModel(h, { chip: '', vendor: 'nvidia', health: '' }).data.visible]).toEqual([1, 1, 0, 0]);
    const bad = fleetModel(h, { chip: '', vendor: '', health: 'unhealthy' });
    expect([...bad.data.visible]).toEqual([0, 1, 0, 0]);
    expect(bad.nodes.filter((n) => n.visible).map((n) => n.id)).toEqual(['a']);
  });
});

describe('timeline', () => {
  it('walks the usual path up to Running with the times it knows', () => {
    const steps = timeline(job({ state: 'Running', startedAtMs: 5000 }), [{ id: 1, atMs: 2000, type: 'job.state', subject: 'job-1', tenant: 't1', data: { from: 'Pending', to: 'Admitted' } }]);
    expect(steps.map((s) => [s.state, s.atMs, s.reached, s.current])).toEqual([
      ['Pending', 1000, true, false],
      ['Admitted', 2000, true, false],
      ['Scheduled', null, true, false],
      ['Running', 5000, true, true],
    ]);
  });
  it('ends with the final state of a cancelled pending job, leaving Running unreached', () => {
    const steps = timeline(job({ state: 'Cancelled', finishedAtMs: 3000 }), []);
    expect(steps.at(-1)).toEqual({ state: 'Cancelled', atMs: 3000, reached: true, current: true });
    expect(steps.find((s) => s.state === 'Running')?.reached).toBe(false);
  });
});

describe('specOf', () => {
  const form: SubmitForm = { name: ' x ', kind: 'batch', command: ' python  eval.py ', count: 2, milliPerCard: 1000, mode: 'any', chips: [], tenant: '', queue: '', priority: 0, model: '' };
  it('builds each kind of chip request', () => {
    expect(specOf(form)).toEqual({ name: 'x', kind: 'batch', command: ['python', 'eval.py'], resources: { count: 2, chips: { kind: 'any' } }, priority: 0 });
    expect(specOf({ ...form, mode: 'pinned', chips: ['nvidia-h20'] })).toMatchObject({ resources: { chips: { kind: 'pinned', chip: 'nvidia-h20' } } });
    expect(specOf({ ...form, mode: 'any-of', chips: ['a', 'b'], milliPerCard: 250, tenant: 'r', model: 'qwen' })).toMatchObject({ resources: { count: 2, milliPerCard: 250, chips: { kind: 'any-of', chips: ['a', 'b'] } }, tenant: 'r', model: { name: 'qwen' } });
  });
  it('refuses a chip mode without chips', () => {
    expect(specOf({ ...form, mode: 'any-of' })).toBe('submit.pickChips');
  });
});

describe('matchJobs', () => {
  it('matches name or id, case-insensitively', () => {
    const jobs = [job({ id: 'job-abc', name: 'Train-Llama' }), job({ id: 'job-xyz', name: 'eval' })];
    expect(matchJobs(jobs, 'llama').map((j) => j.id)).toEqual(['job-abc']);
    expect(matchJobs(jobs, 'XYZ').map((j) => j.id)).toEqual(['job-xyz']);
    expect(matchJobs(jobs, '  ')).toHaveLength(2);
  });
});

describe('tenantRows', () => {
  it('computes cards in use, borrowing against the * quota, usage in card-hours and fair share by weight', () => {
    const rows = tenantRows(
      [
        { id: 'a', name: 'A', quota: { '*': 4 }, createdAtMs: 0, updatedAtMs: 0, queues: [{ tenant: 'a', name: 'q1', weight: 1, priority: 0 }] },
        { id: 'b', name: 'B', quota: {}, createdAtMs: 0, updatedAtMs: 0, queues: [{ tenant: 'b', name: 'q2', weight: 3, priority: 0 }] },
      ],
      // a: 8 whole cards + 2 x 0.5 = 9 in use, quota 4: borrowing 5. b: 1 card.
      [job({ tenant: 'a', cards: 8 }), job({ tenant: 'a', cards: 2, milliPerCard: 500 }), job({ tenant: 'b', cards: 1 })],
      [{ tenant: 'a', chip: 'x', cardSec: 7200, jobs: 1 }],
    );
    expect(rows[0]).toMatchObject({ inUseCards: 9, overQuota: 5, usageCardHours: 2 });
    expect(rows[0]?.queues[0]?.fairShare).toBe(0.25);
    expect(rows[1]).toMatchObject({ inUseCards: 1, overQuota: null, usageCardHours: 0 });
    expect(rows[1]?.queues[0]?.fairShare).toBe(0.75);
  });
});

describe('replicasPerChip', () => {
  it('counts live replicas per chip per service', () => {
    const svc = (name: string, chips: (string | null)[]) => ({ id: name, tenant: 't', name, state: 'Active', createdAtMs: 0, spec: { model: { name: 'm' }, replicas: chips.length }, readyReplicas: 0, endpoints: [], replicas: chips.map((c, i) => ({ jobId: `${name}-${i}`, state: 'Running', chip: c, nodes: [] })) });
    expect(replicasPerChip([svc('s1', ['a', 'a', null]), svc('s2', ['b'])])).toEqual({ chips: ['?', 'a', 'b'], rows: [{ service: 's1', counts: [1, 2, 0] }, { service: 's2', counts: [0, 0, 1] }] });
  });
});

import { describe, expect, it } from 'vitest';
import { schedule, seededRng, type SchedNode } from '../../sched/index.js';
import { EventHeap, EventKind, simulate, type SimConfig, type SimJob } from './index.js';

const node = (id: string, chip: string, cards: number): SchedNode => ({ id, chip, cluster: 'c', rack: 'r', linkDomainSize: cards, cards, freeMilli: new Array<number>(cards).fill(1000), schedulable: true });
const job = (id: string, t: number, cards: number, durationSec: number, chips: SimJob['chips'] = { kind: 'any' }, extra: Partial<SimJob> = {}): SimJob => ({
  id, tenant: extra.tenant ?? 't1', queue: 'q', priority: 0, submitTimeSec: t, cards, milliPerCard: 1000, gang: false, chips, durationSec, ...extra,
});
const base = (jobs: SimJob[], extra: Partial<SimConfig> = {}): SimConfig => ({
  nodes: [node('a', 'x', 2), node('b', 'y', 1)],
  jobs,
  schedule,
  ctx: { profile: 'best-fit', rng: seededRng(1) },
  ...extra,
});

describe('event heap', () => {
  it('pops by time, ties in insertion order', () => {
    const h = new EventHeap(2);
    const input: [number, number][] = [[5, 0], [1, 1], [5, 2], [3, 3], [1, 4], [0, 5], [5, 6]];
    for (const [t, p] of input) h.push(t, EventKind.completion, p);
    const out: number[] = [];
    while (h.size > 0) {
      out.push(h.topPayload());
      h.pop();
    }
    expect(out).toEqual([5, 1, 4, 3, 0, 2, 6]);
  });
});

describe('simulate: a hand-made run', () => {
  // j1: 2 cards of x at t=0 for 100 s. j2: 1 card of x at t=0 for 50 s; waits for j1 (x has 2 cards), runs 100..150.
  // j3: any chip at t=10 for 30 s; only y is free, runs 10..40.
  const jobs = [job('j1', 0, 2, 100, { kind: 'pinned', chip: 'x' }), job('j2', 0, 1, 50, { kind: 'pinned', chip: 'x' }, { tenant: 't2', deadlineSec: 120 }), job('j3', 10, 1, 30, { kind: 'any' }, { deadlineSec: 60 })];
  const r = simulate(base(jobs, { pricePerCardHour: { x: 36, y: 3.6 }, powerWPerCard: { x: 400 } }));

  it('completes every job', () => {
    expect(r.jobs).toMatchObject({ seen: 3, completed: 3, rejected: 0, unfinished: 0, invalidDecisions: 0 });
  });

  it('computes JCT, queueing delay and makespan', () => {
    // JCTs 100, 150, 30: mean 93.33, p50 (nearest rank 2 of 3) 100, p99 150. Delays 0, 100, 0.
    expect(r.jctSec.mean).toBeCloseTo(280 / 3, 9);
    expect(r.jctSec.p50).toBe(100);
    expect(r.jctSec.p99).toBe(150);
    expect(r.queueDelaySec.mean).toBeCloseTo(100 / 3, 9);
    expect(r.makespanSec).toBe(150);
  });

  it('integrates allocation, utilisation, cost and energy', () => {
    // Busy card-seconds: x 2*100 + 1*50 = 250, y 30; capacity 3 cards x 150 s = 450.
    expect(r.allocationRate).toBeCloseTo(280 / 450, 9);
    const x = r.perChip.find((c) => c.chip === 'x');
    const y = r.perChip.find((c) => c.chip === 'y');
    expect(x?.utilisation).toBeCloseTo(250 / 300, 9);
    expect(y?.utilisation).toBeCloseTo(30 / 150, 9);
    // Cost: 250/3600 h x 36 = 2.5; 30/3600 h x 3.6 = 0.03. Energy: 250/3600 h x 0.4 kW; y has no power figure.
    expect(r.cost).toBeCloseTo(2.53, 9);
    expect(r.costPartial).toBe(false);
    expect(r.energyKWh).toBeCloseTo((250 / 3600) * 0.4, 9);
    expect(r.energyPartial).toBe(true);
  });

  it('measures SLO attainment and tenant shares', () => {
    // j2 finished at 150 > 120 (missed); j3 at 30 <= 60 (met).
    expect(r.sloAttainment).toBe(0.5);
    const t2 = r.perTenant.find((t) => t.tenant === 't2');
    expect(t2?.share).toBeCloseTo(50 / 280, 9);
    expect(r.perTenant.find((t) => t.tenant === 't1')?.meanJctSec).toBeCloseTo(65, 9);
  });
});

describe('simulate: failures, rejections and determinism', () => {
  it('re-queues work from a lost node and restarts it when the node returns', () => {
    // j1 runs on x from 0; x is lost at 20 and back at 60; j1 restarts at 60 and ends at 160.
    const r = simulate(base([job('j1', 0, 2, 100, { kind: 'pinned', chip: 'x' })], { nodeEvents: [{ timeSec: 20, kind: 'down', nodeId: 'a' }, { timeSec: 60, kind: 'up', nodeId: 'a' }] }));
    expect(r.jobs.failures).toBe(1);
    expect(r.jctSec.mean).toBe(160);
  });

  it('re-runs a job whose trace says it fails once', () => {
    const r = simulate(base([job('j1', 0, 1, 100, { kind: 'pinned', chip: 'y' }, { failAfterSec: 30 })]));
    expect(r.jobs.failures).toBe(1);
    expect(r.jctSec.mean).toBe(130);
  });

  it('rejects a job that can never fit, with the reason', () => {
    const r = simulate(base([job('big', 0, 8, 10, { kind: 'pinned', chip: 'x' })]));
    expect(r.jobs.rejected).toBe(1);
    expect(r.rejections[0]?.jobId).toBe('big');
    expect(r.rejections[0]?.reason.length).toBeGreaterThan(0);
  });

  it('rejects a bound job with no known run time', () => {
    const r = simulate(base([{ ...job('j', 0, 1, 1), durationSec: undefined }]));
    expect(r.rejections[0]?.reason).toMatch(/no run time known/);
  });

  it('uses durationOn when given', () => {
    const r = simulate(base([job('j', 0, 1, 999, { kind: 'pinned', chip: 'y' })], { durationOn: (_j, chip, cards) => (chip === 'y' ? 42 * cards : undefined) }));
    expect(r.jctSec.mean).toBe(42);
  });

  it('is reproducible from the seed with a random profile', () => {
    const jobs = (): SimJob[] => Array.from({ length: 40 }, (_, i) => job(`j${i}`, i * 3, 1, 20 + (i % 7) * 5));
    const run = (seed: number) => simulate({ ...base(jobs()), nodes: [node('a', 'x', 2), node('b', 'y', 1), node('c', 'x', 4)], ctx: { profile: 'random', rng: seededRng(seed) } });
    const a = run(7);
    const b = run(7);
    expect(a).toEqual(b);
    expect(a.jobs.completed).toBe(40);
  });

  it('schedules at most once per interval when asked', () => {
    // Interval 60 s: j arrives at 10 and starts at the 60 s tick; JCT 60 - 10 + 5 = 55.
    const r = simulate(base([job('j', 10, 1, 5)], { scheduleIntervalSec: 60 }));
    expect(r.jctSec.mean).toBe(55);
  });

  it('records pending reasons for watched jobs', () => {
    const r = simulate(base([job('j1', 0, 2, 100, { kind: 'pinned', chip: 'x' }), job('j2', 0, 1, 50, { kind: 'pinned', chip: 'x' })], { watch: ['j2'] }));
    expect(r.explain['j2']?.[0]?.reasons.length).toBeGreaterThan(0);
  });
});

describe('simulate: sampled allocation and fragmentation', () => {
  // a: 2 cards of x, b: 1 card of y. f1 holds 250 milli of one x card from 0 to 10000 s; b is down
  // from 2500 to 9000 s; short jobs at 2000 (y), 3000 and 5000 (x) come and go between samples.
  // Samples fall every 1350 s of virtual time and see the state before that instant's events.
  const jobs = [
    job('f1', 0, 1, 10000, { kind: 'pinned', chip: 'x' }, { milliPerCard: 250 }),
    job('j2', 2000, 1, 100, { kind: 'pinned', chip: 'y' }),
    job('j3', 3000, 1, 10, { kind: 'pinned', chip: 'x' }),
    job('j4', 5000, 1, 10, { kind: 'pinned', chip: 'x' }, { milliPerCard: 500 }),
  ];
  const nodeEvents = [{ timeSec: 2500, kind: 'down' as const, nodeId: 'b' }, { timeSec: 9000, kind: 'up' as const, nodeId: 'b' }];
  for (const engine of ['per-call', 'persistent'] as const) {
    it(`follows every device and node change (${engine} engine)`, () => {
      const r = simulate(base(jobs, { nodeEvents, engine }));
      const allUp = { allocationRate: 250 / 1000 / 3, fragmentation: 750 / 2750 };
      const bDown = { allocationRate: 250 / 1000 / 2, fragmentation: 750 / 1750 };
      const idle = { allocationRate: 0, fragmentation: 0 };
      const expected = [[0, idle], [1350, allUp], [2700, bDown], [4050, bDown], [5400, bDown], [6750, bDown], [8100, bDown], [9450, allUp], [10000, idle]] as const;
      expect(r.series.map((p) => p.tSec)).toEqual(expected.map(([t]) => t));
      r.series.forEach((p, i) => {
        const want = (expected[i] as (typeof expected)[number])[1];
        expect(p.allocationRate).toBeCloseTo(want.allocationRate, 12);
        expect(p.fragmentation).toBeCloseTo(want.fragmentation, 12);
      });
      expect(r.jobs.completed).toBe(4);
    });
  }
});

describe('simulate: the persistent engine', () => {
  // A mixed run: whole cards, shares of a card, multi-card and gang jobs, CPU asks, on 5 nodes.
  const mixed = (): SimJob[] =>
    Array.from({ length: 300 }, (_, i) => {
      const shape = i % 5;
      return job(`j${i}`, i * 7, shape === 4 ? 12 : shape === 3 ? 4 : 1, 50 + ((i * 37) % 400), shape === 2 ? { kind: 'pinned', chip: 'y' } : { kind: 'any' }, {
        milliPerCard: shape === 1 ? 250 + ((i * 13) % 700) : 1000,
        gang: shape === 4,
        cpuMilli: 1000 * (1 + (i % 3)),
        tenant: `t${i % 3}`,
      });
    });
  const nodes = (): SchedNode[] => [{ ...node('a', 'x', 8), cpuMilliFree: 64000 }, node('b', 'x', 8), node('c', 'y', 4), node('d', 'y', 4), node('e', 'x', 8)];

  for (const profile of ['best-fit', 'random', 'default']) {
    it(`gives the same run as calling schedule() every round (${profile})`, () => {
      const run = (engine: 'per-call' | 'persistent') => simulate({ nodes: nodes(), jobs: mixed(), schedule, ctx: { profile, rng: seededRng(5) }, engine });
      const a = run('per-call');
      const b = run('persistent');
      expect(b).toEqual(a);
      expect(a.jobs.completed).toBe(300);
    });
  }

  it('stays exact across node loss and return', () => {
    const run = (engine: 'per-call' | 'persistent') =>
      simulate({ nodes: nodes(), jobs: mixed(), schedule, ctx: { profile: 'best-fit', rng: seededRng(5) }, engine, nodeEvents: [{ timeSec: 300, kind: 'down', nodeId: 'a' }, { timeSec: 900, kind: 'up', nodeId: 'a' }] });
    const b = run('persistent');
    expect(b).toEqual(run('per-call'));
    expect(b.jobs.failures).toBeGreaterThan(0);
  });
});

describe('simulate: preemption with tenant queues', () => {
  it('gives the room a preemption made to the job that made it (nominated), not to another tenant', async () => {
    const { resolveQueueingProfile } = await import('../../sched/queueing/index.js');
    // One card. acme's long low-priority job runs; initech's job waits; then acme's urgent job preempts acme's own.
    const jobs = [
      job('acme-low', 0, 1, 1000, { kind: 'any' }, { tenant: 'acme' }),
      job('initech-job', 1, 1, 100, { kind: 'any' }, { tenant: 'initech' }),
      job('acme-urgent', 2, 1, 50, { kind: 'any' }, { tenant: 'acme', priority: 10 }),
    ];
    const r = simulate({
      nodes: [node('a', 'x', 1)],
      jobs,
      schedule,
      ctx: { profile: resolveQueueingProfile('tenant-fair-fgd'), rng: seededRng(1) },
      watch: ['acme-urgent', 'initech-job'],
    });
    expect(r.jobs.preemptions).toBe(1);
    // The urgent job starts at once, in a second call at the same time, on the room it made.
    expect(r.watched['acme-urgent']?.startSec).toBe(2);
    // Then the shares are equal (nothing runs) and the older job goes first: the requeued victim
    // (submitted at 0) before initech's (at 1), which starts when the victim's 1,000 s rerun ends.
    expect(r.watched['initech-job']?.startSec).toBe(1052);
    expect(r.jobs.completed).toBe(3);
  });
});

describe('simulate: the control plane queue tree', () => {
  it('keeps preemption inside a tenant with the tree, where implicit queues let priority cross tenants', async () => {
    const { resolveQueueingProfile, tenantQueueName, tenantQueueTree } = await import('../../sched/queueing/index.js');
    const raw = [job('acme-low', 0, 1, 1000, { kind: 'any' }, { tenant: 'acme' }), job('globex-high', 1, 1, 50, { kind: 'any' }, { tenant: 'globex', priority: 10 })];
    const run = (tree: boolean) =>
      simulate({
        nodes: [node('a', 'x', 1)],
        jobs: tree ? raw.map((j) => ({ ...j, queue: tenantQueueName(j.tenant, j.queue) })) : raw,
        ...(tree ? { queues: tenantQueueTree([], raw.map((j) => ({ tenant: j.tenant, name: j.queue }))) } : {}),
        schedule,
        ctx: { profile: resolveQueueingProfile('tenant-fair-fgd', tree ? { reclaim: 'never' } : {}), rng: seededRng(1) },
        watch: ['globex-high'],
      });
    const implicit = run(false);
    expect(implicit.jobs.preemptions).toBe(1);
    expect(implicit.watched['globex-high']?.startSec).toBe(1);
    const tree = run(true);
    expect(tree.jobs.preemptions).toBe(0);
    expect(tree.watched['globex-high']?.startSec).toBe(1000);
  });
});

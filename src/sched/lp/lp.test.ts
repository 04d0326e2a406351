import { beforeAll, describe, expect, it } from 'vitest';
import { agnosticMaxMin, allocate, AllocationPolicy, equalShare, groupIdenticalJobs, isolatedThroughput, loadHighs, LpBuilder, placeRound, type AllocationProblem, type LpSolver } from './index.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighs();
});

// Two jobs, two chip types with one card each. Job A runs 1 step/s on type 0 and 2 on type 1;
// job B runs 1 step/s on either. Equal-share throughputs (1 card of each type): A 1.5, B 1.
const twoByTwo = (): AllocationProblem => ({
  jobIds: ['A', 'B'],
  chipTypes: ['slow', 'fast'],
  throughput: [1, 2, 1, 1],
  scaleFactor: [1, 1],
  capacity: [1, 1],
  remainingWork: [7200, 3600],
});

const row = (x: Float64Array, m: number, n: number): number[] => Array.from(x.slice(m * n, m * n + n), (v) => Math.round(v * 1e6) / 1e6);

describe('max-min fairness (heterogeneity-aware)', () => {
  it('gives the fast card to the job that gains from it', () => {
    // B can never exceed normalised throughput 1 (its time is at most 1, rate 1 anywhere), so the
    // optimum is z = 1 with B full-time on one type; the tie-breaker then gives A all of the fast card:
    // A = 2 / 1.5 = 1.33, B = 1.
    const r = allocate(AllocationPolicy.maxMinFairness, twoByTwo(), solver);
    expect(r.status).toBe('optimal');
    expect(r.solvedBy).toBe('max-min-fairness');
    expect(row(r.allocation, 0, 2)).toEqual([0, 1]);
    expect(row(r.allocation, 1, 2)).toEqual([1, 0]);
    expect(r.objective).toBeCloseTo(1, 2);
    expect(Array.from(r.effectiveThroughput)).toEqual([2, 1]);
  });

  it('agnostic version equalises time, not throughput, and is indifferent to the type', () => {
    // Both jobs get all their time; each share is spread over the two one-card types: 0.5 and 0.5.
    const r = allocate(AllocationPolicy.maxMinFairnessAgnostic, twoByTwo(), solver);
    expect(r.status).toBe('optimal');
    expect(row(r.allocation, 0, 2)).toEqual([0.5, 0.5]);
    expect(row(r.allocation, 1, 2)).toEqual([0.5, 0.5]);
    // A throughput 1.5 for A (half its time at 1, half at 2), against 2 with the aware policy.
    expect(r.effectiveThroughput[0]).toBeCloseTo(1.5, 6);
  });

  it('respects scale factors and capacity', () => {
    // Three 2-card jobs on 4 cards of one type: each gets 4 / 6 = 2/3 of the time.
    const p: AllocationProblem = { jobIds: ['a', 'b', 'c'], chipTypes: ['t'], throughput: [5, 5, 5], scaleFactor: [2, 2, 2], capacity: [4] };
    const r = allocate(AllocationPolicy.maxMinFairness, p, solver);
    for (let m = 0; m < 3; m++) expect(r.allocation[m]).toBeCloseTo(2 / 3, 6);
  });

  it('weights shift the share: weight 2 gets twice the normalised throughput', () => {
    // One card, two identical jobs, weights 1 and 2: x_b / 2 = x_a and x_a + x_b = 1 -> 1/3, 2/3.
    const p: AllocationProblem = { jobIds: ['a', 'b'], chipTypes: ['t'], throughput: [1, 1], scaleFactor: [1, 1], capacity: [1], weight: [1, 2] };
    const r = allocate(AllocationPolicy.maxMinFairness, p, solver);
    expect(r.allocation[0]).toBeCloseTo(1 / 3, 3);
    expect(r.allocation[1]).toBeCloseTo(2 / 3, 3);
  });

  it('leaves a job that can run nowhere at zero and still solves', () => {
    const p: AllocationProblem = { jobIds: ['a', 'b'], chipTypes: ['t'], throughput: [1, 0], scaleFactor: [1, 1], capacity: [1] };
    const r = allocate(AllocationPolicy.maxMinFairness, p, solver);
    expect(r.status).toBe('optimal');
    expect(Array.from(r.allocation)).toEqual([1, 0]);
  });
});

describe('min makespan', () => {
  it('finishes both jobs in one hour', () => {
    // A: 7200 steps at 2/s on the fast card = 1 h; B: 3600 steps at 1/s = 1 h. B cannot go faster,
    // so z = 1/makespan = 1 per hour.
    const r = allocate(AllocationPolicy.minMakespan, twoByTwo(), solver);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(1, 6);
    expect(r.allocation[1]).toBeCloseTo(1, 6);
  });
});

describe('min cost under deadlines', () => {
  const one = (deadlineSec: number): AllocationProblem => ({
    jobIds: ['j'],
    chipTypes: ['cheap', 'dear'],
    throughput: [1, 2],
    scaleFactor: [1],
    capacity: [1, 1],
    remainingWork: [3600],
    deadlineSec: [deadlineSec],
    pricePerCardHour: [1, 3],
  });

  it('uses the cheap card part-time when the deadline allows', () => {
    // 3600 steps in 7200 s needs 0.5 steps/s: half the cheap card (cost 0.5/h) beats a quarter of the dear one (0.75/h).
    const r = allocate(AllocationPolicy.minCostDeadline, one(7200), solver);
    expect(r.status).toBe('optimal');
    expect(row(r.allocation, 0, 2)).toEqual([0.5, 0]);
    expect(r.objective).toBeCloseTo(0.5, 6);
  });

  it('pays for the fast card when the deadline is tight', () => {
    // 3600 steps in 1800 s needs 2 steps/s: only the dear card, full-time, cost 3/h.
    const r = allocate(AllocationPolicy.minCostDeadline, one(1800), solver);
    expect(row(r.allocation, 0, 2)).toEqual([0, 1]);
    expect(r.objective).toBeCloseTo(3, 6);
  });

  it('falls back to equal share, and says so, when no allocation meets the deadline', () => {
    // 3600 steps in 900 s needs 4 steps/s; the best card gives 2.
    const r = allocate(AllocationPolicy.minCostDeadline, one(900), solver);
    expect(r.status).toBe('fallback');
    expect(r.solvedBy).toBe('equal-share');
    expect(r.fallbackReason).toMatch(/Infeasible/);
    expect(r.objective).toBeNull();
    expect(row(r.allocation, 0, 2)).toEqual([0.5, 0.5]);
  });

  it('falls back when the solver throws', () => {
    const broken: LpSolver = { version: 'x', solve: () => { throw new Error('boom'); } };
    const r = allocate(AllocationPolicy.maxMinFairness, twoByTwo(), broken);
    expect(r.status).toBe('fallback');
    expect(r.fallbackReason).toBe('HiGHS failed: boom');
  });
});

describe('input checks and helpers', () => {
  it('rejects a matrix of the wrong shape with a sentence naming the field', () => {
    expect(() => allocate(AllocationPolicy.maxMinFairness, { ...twoByTwo(), throughput: [1, 2, 3] }, solver)).toThrow(/throughput has 3 entries, expected 4/);
  });

  it('equal share never oversubscribes a type', () => {
    // 3 one-card jobs on 1 + 1 cards: f = 2/3; each job 1/3 on each type; 3 x 1/3 = 1 card per type.
    const x = equalShare({ jobIds: ['a', 'b', 'c'], chipTypes: ['s', 'f'], throughput: [1, 1, 1, 1, 1, 1], scaleFactor: [1, 1, 1], capacity: [1, 1] });
    for (const v of x) expect(v).toBeCloseTo(1 / 3, 9);
  });

  it('writes CPLEX LP text with signs and exponents HiGHS reads', () => {
    const lp = new LpBuilder('maximize').term(1, 'a').term(-2.5, 'b').subjectTo();
    lp.row('r').term(1e-7, 'a').term(1, 'b').end('<=', 4);
    const text = lp.bound('a', 0, 3).toString();
    expect(text).toContain('obj: 1 a - 2.5 b');
    expect(text).toContain('r: 1e-7 a + 1 b <= 4');
    const s = solver.solve(text);
    expect(s.Status).toBe('Optimal');
    expect(s.ObjectiveValue).toBeCloseTo(3, 6);
  });
});

describe('round placement', () => {
  it('follows the allocation matrix', () => {
    const t = placeRound([0, 1, 1, 0], 2, [{ row: 0, scaleFactor: 1, receivedSec: [0, 0] }, { row: 1, scaleFactor: 1, receivedSec: [0, 0] }], [1, 1]);
    expect(Array.from(t)).toEqual([1, 0]);
  });

  it('gives the round to the job furthest behind its target', () => {
    // Both want half of the one card; A already had a round, B none: B goes first.
    const t = placeRound([0.5, 0.5], 1, [{ row: 0, scaleFactor: 1, receivedSec: [360] }, { row: 1, scaleFactor: 1, receivedSec: [0] }], [1]);
    expect(Array.from(t)).toEqual([-1, 0]);
  });

  it('does not place a job without enough free cards', () => {
    const t = placeRound([1], 1, [{ row: 0, scaleFactor: 4, receivedSec: [0] }], [2]);
    expect(Array.from(t)).toEqual([-1]);
  });
});

describe("Gavel's max-min fairness as written (normalisation: 'gavel')", () => {
  it('solves the agnostic policy in closed form with the LP optimum', () => {
    // Pooled problem: 5 jobs (scale factors 1, 1, 2, 4, 1; weights 1, 2, 1, 1, 1) on 2 + 3 cards.
    const p: AllocationProblem = { jobIds: ['a', 'b', 'c', 'd', 'e'], chipTypes: ['s', 'f'], throughput: [1, 2, 3, 1, 2, 2, 1, 1, 5, 5], scaleFactor: [1, 1, 2, 4, 1], weight: [1, 2, 1, 1, 1], capacity: [2, 3] };
    const closed = agnosticMaxMin(p);
    expect(closed).not.toBeNull();
    // The same LP on HiGHS: maximise z with sf * sum_j x / w >= z (throughputs all 1).
    const lp = new LpBuilder('maximize').term(1, 'z').subjectTo();
    for (let m = 0; m < 5; m++) {
      lp.row(`f${m}`).term((p.scaleFactor[m] as number) / (p.weight?.[m] as number), `x${m}_0`).term((p.scaleFactor[m] as number) / (p.weight?.[m] as number), `x${m}_1`).term(-1, 'z').end('>=', 0);
      lp.row(`t${m}`).term(1, `x${m}_0`).term(1, `x${m}_1`).end('<=', 1);
    }
    for (let j = 0; j < 2; j++) {
      lp.row(`c${j}`);
      for (let m = 0; m < 5; m++) lp.term(p.scaleFactor[m] as number, `x${m}_${j}`);
      lp.end('<=', p.capacity[j] as number);
    }
    const s = solver.solve(lp.toString());
    expect(s.Status).toBe('Optimal');
    expect(closed!.objective).toBeCloseTo(s.ObjectiveValue, 6);
    // Every type within capacity, every job's share split 2:3 like the cards.
    for (let j = 0; j < 2; j++) {
      let used = 0;
      for (let m = 0; m < 5; m++) used += (p.scaleFactor[m] as number) * (closed!.allocation[m * 2 + j] as number);
      expect(used).toBeLessThanOrEqual((p.capacity[j] as number) + 1e-9);
    }
    expect((closed!.allocation[1] as number) / (closed!.allocation[0] as number)).toBeCloseTo(1.5, 9);
    const r = allocate(AllocationPolicy.maxMinFairnessAgnostic, p, solver, { normalisation: 'gavel' });
    expect(r.objective).toBeCloseTo(s.ObjectiveValue, 6);
    expect(r.lpChars).toBe(0);
  });

  it('is not pooled when a job cannot run on some type', () => {
    expect(agnosticMaxMin({ jobIds: ['a'], chipTypes: ['s', 'f'], throughput: [0, 1], scaleFactor: [1], capacity: [1, 1] })).toBeNull();
  });

  it('normalises by the throughput under the agnostic allocation, so weights act squared as in Gavel', () => {
    // One card, two identical jobs, weights 1 and 2. Agnostic: x_a / 1 = x_b / 2 -> 1/3, 2/3, so the
    // isolated throughputs are 1/3 and 2/3. Aware coefficients T / (w * T_iso): 3 and 0.75; the
    // max-min optimum puts 3 x_a = 0.75 x_b, x_a + x_b = 1 -> 0.2, 0.8 (Tessera's default: 1/3, 2/3).
    const p: AllocationProblem = { jobIds: ['a', 'b'], chipTypes: ['t'], throughput: [1, 1], scaleFactor: [1, 1], capacity: [1], weight: [1, 2] };
    expect(Array.from(isolatedThroughput(p, solver)).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.333333, 0.666667]);
    const r = allocate(AllocationPolicy.maxMinFairness, p, solver, { normalisation: 'gavel' });
    expect(r.status).toBe('optimal');
    expect(r.allocation[0]).toBeCloseTo(0.2, 4);
    expect(r.allocation[1]).toBeCloseTo(0.8, 4);
  });

  it('lands inside a degenerate optimal face (interior point, no crossover), like ECOS', () => {
    // twoByTwo: z = 1 is pinned by B (rate 1 everywhere, time <= 1); any split giving A a normalised
    // throughput >= 1 is optimal. Without a tie-breaker and without crossover the solution is
    // interior: no cell sits exactly at a vertex value of 0 or 1.
    const r = allocate(AllocationPolicy.maxMinFairness, twoByTwo(), solver, { normalisation: 'gavel' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(1, 6);
    expect(r.effectiveThroughput[1]).toBeCloseTo(1, 5);
    for (const v of r.allocation) {
      expect(v).toBeGreaterThan(1e-3);
      expect(v).toBeLessThan(1 - 1e-3);
    }
  });
});

describe('identical jobs share one LP class', () => {
  it('gives the same optimum as the LP over every job', () => {
    // Three job kinds, eight jobs; perturbing each row by 1e-12 keeps every job its own class.
    const kinds = [[1, 2, 4], [3, 3, 1], [1, 1, 1]];
    const pick = [0, 0, 0, 1, 1, 2, 2, 2];
    const p = (jitter: number): AllocationProblem => ({
      jobIds: pick.map((_, i) => `j${i}`),
      chipTypes: ['a', 'b', 'c'],
      throughput: pick.flatMap((k, i) => kinds[k]!.map((v) => v + jitter * i)),
      scaleFactor: pick.map(() => 1),
      capacity: [2, 1, 2],
    });
    const grouped = groupIdenticalJobs(p(0), isolatedThroughput(p(0), solver));
    expect(grouped.reduced.jobIds).toHaveLength(3);
    expect(Array.from(grouped.reduced.scaleFactor)).toEqual([3, 2, 3]);
    const together = allocate(AllocationPolicy.maxMinFairness, p(0), solver, { normalisation: 'gavel' });
    const apart = allocate(AllocationPolicy.maxMinFairness, p(1e-12), solver, { normalisation: 'gavel' });
    expect(together.status).toBe('optimal');
    expect(together.lpChars).toBeLessThan(apart.lpChars);
    expect(together.objective).toBeCloseTo(apart.objective as number, 6);
    // Jobs of one kind get the same row, and no type is oversubscribed.
    expect(row(together.allocation, 1, 3)).toEqual(row(together.allocation, 0, 3));
    for (let j = 0; j < 3; j++) {
      let used = 0;
      for (let i = 0; i < 8; i++) used += together.allocation[i * 3 + j] as number;
      expect(used).toBeLessThanOrEqual([2, 1, 2][j]! + 1e-6);
    }
  });
});

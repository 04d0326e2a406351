import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AllocationPolicy, loadHighs, type LpSolver } from '../../sched/lp/index.js';
import { parseGavelThroughputs } from '../traces/gavel.js';
import { compareOnJobs, GavelMechanism, gavelDurationSec, gavelJobStream, gavelScaleFactor, generateGavelJobs, jobTypesAt, simulateGavel, type GavelSimJob, type MechanismJob } from './index.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighs();
});

const job = (id: string, steps: number, tput: number[], arrivalSec = 0, scaleFactor = 1): GavelSimJob => ({ id, jobType: id, scaleFactor, totalSteps: steps, arrivalSec, weight: 1, throughput: Float64Array.from(tput) });

describe('round-based simulation', () => {
  it('runs the hand-worked two-job case', () => {
    // A: 1440 steps, 1 step/s on slow, 2 on fast; B: 360 steps, 1 step/s on either. One card of each.
    // Aware max-min puts A on fast (720 s = 2 rounds) and B on slow (360 s = 1 round): JCTs 720 and 360.
    const r = simulateGavel([job('A', 1440, [1, 2]), job('B', 360, [1, 1])], { workerTypes: ['slow', 'fast'], capacity: [1, 1], policy: AllocationPolicy.maxMinFairness, solver });
    expect(Array.from(r.jctSec)).toEqual([720, 360]);
    expect(r.avgJctSec).toBe(540);
    expect(r.rounds).toBe(2);
    expect(r.fallbacks).toBe(0);
    // Busy card-seconds: fast 720 (A), slow 360 (B).
    expect(Array.from(r.busyCardSec)).toEqual([360, 720]);
  });

  it('time-shares one card between jobs, finishing mid-round', () => {
    // Two jobs of 540 steps at 1 step/s on one card: rounds alternate by priority; A gets rounds 1 and 3
    // (finishes at 720 + 180 = 900), B gets round 2 and finishes in round 4 at 1080 + 180 = 1260.
    const r = simulateGavel([job('A', 540, [1]), job('B', 540, [1])], { workerTypes: ['t'], capacity: [1], policy: AllocationPolicy.maxMinFairness, solver });
    expect(Array.from(r.jctSec).sort((a, b) => a - b)).toEqual([900, 1260]);
  });

  it('makes a job arriving mid-round wait for the next round and skips jobs no type can hold', () => {
    const r = simulateGavel([job('late', 360, [1], 100), job('huge', 10, [1], 0, 4)], { workerTypes: ['t'], capacity: [2], policy: AllocationPolicy.maxMinFairness, solver });
    expect(r.unrunnable).toEqual(['huge']);
    // Sorted by arrival: huge (0 s, never runs), late (arrives at 100, starts at 360, runs 360 s: JCT 620).
    expect(r.jctSec[0]).toBeNaN();
    expect(r.jctSec[1]).toBe(620);
  });
});

describe("Gavel's arrivals", () => {
  it('follows the Philly duration and scale-factor distributions', () => {
    expect(gavelDurationSec(0.1, 0)).toBeCloseTo(60 * 10 ** 1.5, 9);
    expect(gavelDurationSec(0.9, 1)).toBeCloseTo(60 * 10 ** 4, 6);
    expect([0.1, 0.75, 0.85, 0.97].map(gavelScaleFactor)).toEqual([1, 2, 4, 8]);
  });

  it('generates reproducible jobs from the measured matrix', () => {
    const shared = process.env.TESSERA_SHARED_DIR ?? resolve(__dirname, '../../../../shared');
    const t = parseGavelThroughputs(readFileSync(join(shared, 'data/gavel/simulation_throughputs.json'), 'utf8'), 'x');
    expect(jobTypesAt(t, 1)).toHaveLength(26);
    const a = generateGavelJobs(t, { jobsPerHour: 4, count: 50, seed: 9 });
    expect(generateGavelJobs(t, { jobsPerHour: 4, count: 50, seed: 9 })).toEqual(a);
    // Steps = duration x V100 throughput, so the V100 run time lies in Gavel's range 60*10^1.5 .. 60*10^4 s.
    for (const j of a) {
      const v100Sec = j.totalSteps / (j.throughput[2] as number);
      expect(v100Sec).toBeGreaterThanOrEqual(60 * 10 ** 1.5 - 1e-6);
      expect(v100Sec).toBeLessThanOrEqual(60 * 10 ** 4 + 1e-6);
    }
  });
});

describe("Gavel's priority mechanism", () => {
  const mj = (alloc: number[], tput: number[], sf = 1): MechanismJob => ({ scaleFactor: sf, throughput: Float64Array.from(tput), timeSinceReset: new Float64Array(alloc.length), deficit: new Float64Array(alloc.length), allocation: Float64Array.from(alloc) });

  it('fills the fastest type first by priority and stays work-conserving', () => {
    // Types [slow, fast], one card each, fast filled first. A wants fast (X 1), B has X 0 everywhere
    // but still gets the idle slow card (priority 0 jobs fill left-over cards, as in Gavel).
    const mech = new GavelMechanism([1, 1], [1, 0]);
    const jobs = [mj([0, 1], [1, 2]), mj([0, 0], [1, 1])];
    mech.reset(jobs, 0, 360);
    expect(Array.from(mech.place(jobs, null))).toEqual([1, 0]);
  });

  it('ranks by X / (share of the type received since the last reset), then deficit', () => {
    // One card; both jobs X 0.5. After a reset both sit at 180 s of 360: tie, broken by deficit.
    const mech = new GavelMechanism([1], [0]);
    const jobs = [mj([0.5], [1]), mj([0.5], [1])];
    mech.reset(jobs, 0, 360);
    (jobs[1] as MechanismJob).deficit[0] = 10;
    expect(Array.from(mech.place(jobs, null))).toEqual([-1, 0]);
    // B runs a round: its share becomes 540 / 720, A's 180 / 720, so A's priority (2) beats B's (0.67).
    mech.ran(jobs[1] as MechanismJob, 0, 360);
    expect(Array.from(mech.place(jobs, null))).toEqual([0, -1]);
    // At the next reset (after 720 s) the time owed (X * elapsed - received) goes into the deficits.
    mech.ran(jobs[0] as MechanismJob, 0, 360);
    mech.reset(jobs, 720, 360);
    expect(Array.from(jobs.map((j) => j.deficit[0]))).toEqual([0, 10]);
  });
});

describe("Gavel's continuous generator and measurement window", () => {
  const shared = process.env.TESSERA_SHARED_DIR ?? resolve(__dirname, '../../../../shared');
  const t = parseGavelThroughputs(readFileSync(join(shared, 'data/gavel/simulation_throughputs.json'), 'utf8'), 'x');

  it('starts at 0 s and gives the same jobs at every rate, with gaps scaled by the rate', () => {
    const a = generateGavelJobs(t, { jobsPerHour: 2, count: 30, seed: 3 });
    const b = generateGavelJobs(t, { jobsPerHour: 4, count: 30, seed: 3 });
    expect(a[0]!.arrivalSec).toBe(0);
    expect(b.map((j) => [j.jobType, j.totalSteps])).toEqual(a.map((j) => [j.jobType, j.totalSteps]));
    expect(b[29]!.arrivalSec).toBeCloseTo(a[29]!.arrivalSec / 2, 6);
  });

  it('draws multi-GPU scale factors only for distributed job types', () => {
    const jobs = generateGavelJobs(t, { jobsPerHour: 2, count: 400, seed: 5, multiGpu: true });
    const distributed = new Set(jobTypesAt(t, 2));
    expect(jobs.some((j) => j.scaleFactor > 1)).toBe(true);
    for (const j of jobs) if (j.scaleFactor > 1) expect(distributed.has(j.jobType)).toBe(true);
    expect(jobs.filter((j) => j.jobType.startsWith('Recommendation')).every((j) => j.scaleFactor === 1)).toBe(true);
  });

  it('keeps generating arrivals until the window has finished and measures only the window', () => {
    const capacity = [4, 4, 4];
    const r = simulateGavel(gavelJobStream(t, { jobsPerHour: 0.5, seed: 1 }), { workerTypes: t.workerTypes, capacity, policy: AllocationPolicy.maxMinFairness, solver, measure: { from: 20, to: 30 }, allocateOptions: { normalisation: 'gavel' } });
    expect(r.measuredJobs).toBe(10);
    expect(r.jobs).toBeGreaterThan(30);
    for (let k = 20; k < 30; k++) expect(r.jctSec[k]).toBeGreaterThan(0);
    const mean = Array.from(r.jctSec.slice(20, 30)).reduce((a, b) => a + b, 0) / 10;
    expect(r.avgJctSec).toBeCloseTo(mean, 6);
    expect(r.windowUtilisation).toBeGreaterThan(0);
    expect(r.windowUtilisation).toBeLessThanOrEqual(1);
    expect(() => simulateGavel(gavelJobStream(t, { jobsPerHour: 1, seed: 1 }), { workerTypes: t.workerTypes, capacity, policy: AllocationPolicy.maxMinFairness, solver })).toThrow(/measurement window/);
  });

  it('at light load the aware policy beats the agnostic one on the same jobs', () => {
    // Gavel's 108-card cluster at 0.3 jobs/h: about 5 jobs active, no queueing; the gain is the speed of the chosen type.
    const c = compareOnJobs('x', 0.3, () => gavelJobStream(t, { jobsPerHour: 0.3, seed: 2 }), t, solver, { measure: { from: 10, to: 40 }, allocateOptions: { normalisation: 'gavel' } });
    expect(c.aware.measuredJobs).toBe(30);
    expect(c.ratio).toBeGreaterThan(1.1);
  });
});

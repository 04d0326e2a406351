import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AllocationPolicy, loadHighs, type LpSolver } from '../../sched/lp/index.js';
import { parseGavelThroughputs } from '../traces/gavel.js';
import { gavelDurationSec, gavelScaleFactor, generateGavelJobs, jobTypesAt, simulateGavel, type GavelSimJob } from './index.js';

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

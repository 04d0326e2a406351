/**
 * Poisson job arrivals as Gavel generates them (scheduler/utils.py `generate_job`): a job type drawn
 * uniformly from the measured types; a duration from the Philly distribution (with probability 0.8,
 * 60 * 10^U(1.5, 3) s, else 60 * 10^U(3, 4) s); total steps = duration x the type's throughput on the
 * reference worker (V100). Multi-GPU mode draws the scale factor from Gavel's Philly distribution
 * (1: 70%, 2: 10%, 4: 15%, 8: 5%) and only types measured at that scale factor.
 */
import { seededRng } from '../../sched/rng.js';
import { gavelKey, type GavelThroughputs } from '../traces/gavel.js';
import type { GavelSimJob } from './round-sim.js';

export interface ArrivalOptions {
  /** Mean arrivals per hour. */
  jobsPerHour: number;
  count: number;
  seed: number;
  multiGpu?: boolean;
  referenceType?: string;
}

export function gavelScaleFactor(u: number): number {
  if (u >= 0.95) return 8;
  if (u >= 0.8) return 4;
  if (u >= 0.7) return 2;
  return 1;
}

export function gavelDurationSec(u1: number, u2: number): number {
  return u1 >= 0.8 ? 60 * 10 ** (3 + u2) : 60 * 10 ** (1.5 + 1.5 * u2);
}

/** Job types with a measured isolated throughput at `scaleFactor`, in file order. */
export function jobTypesAt(t: GavelThroughputs, scaleFactor: number): string[] {
  const out: string[] = [];
  for (const key of t.byJob.keys()) {
    const bar = key.lastIndexOf('|');
    if (Number(key.slice(bar + 1)) === scaleFactor) out.push(key.slice(0, bar));
  }
  return out;
}

export function generateGavelJobs(t: GavelThroughputs, o: ArrivalOptions): GavelSimJob[] {
  const rng = seededRng(o.seed);
  const ref = t.workerTypes.indexOf(o.referenceType ?? 'v100');
  if (ref < 0) throw new Error(`reference worker type ${o.referenceType ?? 'v100'} not in the throughput matrix`);
  const typesBySf = new Map<number, string[]>([1, 2, 4, 8].map((s) => [s, jobTypesAt(t, s)]));
  const jobs: GavelSimJob[] = [];
  let clock = 0;
  const meanGapSec = 3600 / o.jobsPerHour;
  for (let i = 0; i < o.count; i++) {
    // Exponential gaps; 1 - u avoids log(0).
    clock += -Math.log(1 - rng.next()) * meanGapSec;
    let sf = o.multiGpu ? gavelScaleFactor(rng.next()) : 1;
    let types = typesBySf.get(sf) ?? [];
    if (types.length === 0) {
      sf = 1;
      types = typesBySf.get(1) ?? [];
    }
    const jobType = types[Math.floor(rng.next() * types.length)] as string;
    const throughput = t.byJob.get(gavelKey(jobType, sf)) as Float64Array;
    const durationSec = gavelDurationSec(rng.next(), rng.next());
    jobs.push({ id: `job-${i}`, jobType, scaleFactor: sf, totalSteps: durationSec * (throughput[ref] as number), arrivalSec: clock, weight: 1, throughput });
  }
  return jobs;
}

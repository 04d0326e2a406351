/**
 * Poisson job arrivals as Gavel generates them (scheduler/utils.py `generate_job`): a job type drawn
 * uniformly from the measured types; a duration from the Philly distribution (with probability 0.8,
 * 60 * 10^U(1.5, 3) s, else 60 * 10^U(3, 4) s); total steps = duration x the type's throughput on the
 * reference worker (V100). Multi-GPU mode draws the scale factor from Gavel's Philly distribution
 * (1: 70%, 2: 10%, 4: 15%, 8: 5%) for distributed types only.
 */
import { seededRng } from '../../lib/rng.js';
import { gavelKey, type GavelThroughputs } from '../traces/gavel.js';
import type { GavelJobStream, GavelSimJob } from './round-sim.js';

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

/**
 * Gavel's continuous generator (`scheduler.py` `simulate` with `lam`, `utils.generate_job`): the first
 * job arrives at 0 s, each next one an exponential gap later (mean 3600 / jobsPerHour s). Per job, in
 * Gavel's draw order: a template uniformly from the job table (the 26 single-GPU types), then, with
 * multi-GPU jobs on and a distributed template (one measured at several GPUs), a scale factor from
 * the Philly distribution (falling back to 1 GPU if that scale factor was not measured), then the
 * duration. Job attributes and arrival gaps use separate seeded streams, so the same seed gives the
 * same jobs at every rate (only the gaps scale): the rates are compared on common random numbers.
 */
export function gavelJobStream(t: GavelThroughputs, o: Omit<ArrivalOptions, 'count'>): GavelJobStream {
  const jobRng = seededRng(o.seed);
  const gapRng = seededRng(o.seed ^ 0x5bd1e995);
  const ref = t.workerTypes.indexOf(o.referenceType ?? 'v100');
  if (ref < 0) throw new Error(`reference worker type ${o.referenceType ?? 'v100'} not in the throughput matrix`);
  if (!(o.jobsPerHour > 0) || !Number.isFinite(o.jobsPerHour)) throw new Error('jobsPerHour must be a finite number > 0');
  const single = jobTypesAt(t, 1);
  const distributed = new Set([2, 4, 8].flatMap((sf) => jobTypesAt(t, sf)));
  const meanGapSec = 3600 / o.jobsPerHour;
  let clock = 0;
  let i = 0;
  return {
    next(): GavelSimJob {
      const jobType = single[Math.floor(jobRng.next() * single.length)] as string;
      let sf = o.multiGpu && distributed.has(jobType) ? gavelScaleFactor(jobRng.next()) : 1;
      if (!t.byJob.has(gavelKey(jobType, sf))) sf = 1;
      const throughput = t.byJob.get(gavelKey(jobType, sf)) as Float64Array;
      const durationSec = gavelDurationSec(jobRng.next(), jobRng.next());
      const job: GavelSimJob = { id: `job-${i}`, jobType, scaleFactor: sf, totalSteps: durationSec * (throughput[ref] as number), arrivalSec: clock, weight: 1, throughput };
      i++;
      // 1 - u avoids log(0).
      clock += -Math.log(1 - gapRng.next()) * meanGapSec;
      return job;
    },
  };
}

/** The first `count` jobs of `gavelJobStream`. */
export function generateGavelJobs(t: GavelThroughputs, o: ArrivalOptions): GavelSimJob[] {
  const stream = gavelJobStream(t, o);
  return Array.from({ length: o.count }, () => stream.next());
}

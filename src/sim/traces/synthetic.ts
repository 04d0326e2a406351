/**
 * A seeded synthetic workload for any fleet: LLM pre-training, LoRA fine-tuning and inference jobs,
 * Poisson arrivals, streamed lazily so that a million jobs cost no more memory than a few.
 *
 * Each job belongs to a perf workload class (`llm-pretrain-8b`, `llm-finetune-7b-lora`,
 * `llm-serve-8b`, ...) and carries an amount of work: tokens to train on, or output tokens to serve.
 * Work is drawn as "hours on the reference chip" (log-uniform in each kind's range, below) times the
 * reference chip's per-card throughput for the class, so the run time on any chip is
 * `work / (throughput(class, chip) x cards)`: the performance model decides how fast each chip is.
 * The ranges and the mix are this generator's assumptions, not measurements; change them with options.
 *
 * Chip requests: `choose` lists every chip of the fleet the class can run on (Tessera picks); `vendor`
 * pins each job to one vendor's chips (drawn in proportion to that vendor's cards among those that
 * can run it), the baseline of the seed-fleet experiment.
 */
import { seededRng } from '../../lib/rng.js';
import type { Rng } from '../../sched/types.js';
import type { DurationFn, SimJob } from '../core/types.js';

export interface SyntheticKind {
  kind: 'pretrain' | 'finetune' | 'inference';
  workloadClass: string;
  cards: number;
  /** Share of arrivals. */
  weight: number;
  /** Work in hours on the reference chip, log-uniform in [min, max]. */
  refHours: [number, number];
  /** Deadline as a multiple of the reference run time (SLO attainment); none when absent. */
  deadlineFactor?: number;
  gang: boolean;
}

/** The default mix (assumptions): mostly inference and fine-tuning, a few large pre-training runs. */
export const DEFAULT_MIX: SyntheticKind[] = [
  { kind: 'pretrain', workloadClass: 'llm-pretrain-8b', cards: 8, weight: 0.08, refHours: [4, 48], gang: true },
  { kind: 'pretrain', workloadClass: 'llm-pretrain-70b', cards: 64, weight: 0.02, refHours: [24, 168], gang: true },
  { kind: 'finetune', workloadClass: 'llm-finetune-7b-lora', cards: 8, weight: 0.3, refHours: [0.5, 8], gang: true },
  { kind: 'finetune', workloadClass: 'llm-finetune-70b-lora', cards: 16, weight: 0.1, refHours: [2, 24], gang: true },
  { kind: 'inference', workloadClass: 'llm-serve-8b', cards: 1, weight: 0.35, refHours: [0.25, 4], deadlineFactor: 2, gang: false },
  { kind: 'inference', workloadClass: 'llm-serve-32b', cards: 4, weight: 0.15, refHours: [0.25, 4], deadlineFactor: 2, gang: false },
];

export interface SyntheticFleetInfo {
  /** Cards per chip id in the fleet. */
  cardsByChip: Record<string, number>;
  /** Vendor of each chip id. */
  vendorOf: Record<string, string>;
  /** Largest node (cards) per chip id: a non-gang job must fit one node. */
  maxNodeCardsByChip: Record<string, number>;
}

/** Per-card throughput of a class on a chip (tokens/s), or null when it cannot run there. */
export type ClassThroughputFn = (workloadClass: string, chip: string) => number | null;

export interface SyntheticOptions {
  count: number;
  seed: number;
  jobsPerHour: number;
  mode: 'choose' | 'vendor';
  referenceChip: string;
  mix?: SyntheticKind[];
  tenants?: string[];
}

interface Prepared {
  k: SyntheticKind;
  eligible: string[];
  /** Vendors that can run it, with their card counts. */
  vendors: { vendor: string; chips: string[]; cards: number }[];
  refPerCard: number;
}

/** Checks the mix against the fleet once: which chips and vendors can run each kind. */
export function prepareMix(fleet: SyntheticFleetInfo, tput: ClassThroughputFn, o: Pick<SyntheticOptions, 'referenceChip' | 'mix'>): Prepared[] {
  const out: Prepared[] = [];
  for (const k of o.mix ?? DEFAULT_MIX) {
    const eligible = Object.keys(fleet.cardsByChip)
      .filter((c) => (tput(k.workloadClass, c) ?? 0) > 0 && (k.gang || (fleet.maxNodeCardsByChip[c] ?? 0) >= k.cards) && (fleet.cardsByChip[c] ?? 0) >= k.cards)
      .sort();
    const ref = tput(k.workloadClass, o.referenceChip);
    if (eligible.length === 0 || ref === null || ref <= 0) continue;
    const byVendor = new Map<string, { vendor: string; chips: string[]; cards: number }>();
    for (const c of eligible) {
      const v = fleet.vendorOf[c] ?? c;
      let e = byVendor.get(v);
      if (!e) byVendor.set(v, (e = { vendor: v, chips: [], cards: 0 }));
      e.chips.push(c);
      e.cards += fleet.cardsByChip[c] ?? 0;
    }
    out.push({ k, eligible, vendors: [...byVendor.values()].filter((v) => v.cards >= k.cards), refPerCard: ref });
  }
  return out;
}

/** Work per job: tokens (training) or output tokens (inference); the duration function reads it. */
export interface SyntheticJob extends SimJob {
  workTokens: number;
}

function pick<T>(items: T[], weights: number[], rng: Rng): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

export function* syntheticJobs(fleet: SyntheticFleetInfo, tput: ClassThroughputFn, o: SyntheticOptions): Generator<SyntheticJob> {
  const prepared = prepareMix(fleet, tput, o);
  if (prepared.length === 0) return;
  const rng = seededRng(o.seed);
  const tenants = o.tenants ?? ['team-a', 'team-b', 'team-c', 'team-d'];
  const gap = 3600 / o.jobsPerHour;
  let t = 0;
  for (let i = 0; i < o.count; i++) {
    t += -Math.log(1 - rng.next()) * gap;
    const p = pick(prepared, prepared.map((x) => x.k.weight), rng);
    const [lo, hi] = p.k.refHours;
    const refHours = lo * (hi / lo) ** rng.next();
    const workTokens = refHours * 3600 * p.refPerCard * p.k.cards;
    const tenant = tenants[Math.floor(rng.next() * tenants.length)] as string;
    // Draw the vendor even in `choose` mode so both modes see the same random stream and jobs.
    const v = p.vendors.length > 0 ? pick(p.vendors, p.vendors.map((x) => x.cards), rng) : undefined;
    const chips = o.mode === 'vendor' && v ? v.chips : p.eligible;
    yield {
      id: `syn-${i}`,
      tenant,
      queue: tenant,
      priority: p.k.kind === 'inference' ? 1 : 0,
      submitTimeSec: t,
      cards: p.k.cards,
      milliPerCard: 1000,
      gang: p.k.gang,
      chips: chips.length === 1 ? { kind: 'pinned', chip: chips[0] as string } : { kind: 'any-of', chips },
      workloadClass: p.k.workloadClass,
      kind: p.k.kind,
      workTokens,
      ...(p.k.deadlineFactor ? { deadlineSec: p.k.deadlineFactor * refHours * 3600 } : {}),
    };
  }
}

/** Run time from the job's work and the chip's throughput; undefined where the class cannot run. */
export function syntheticDuration(tput: ClassThroughputFn): DurationFn {
  const cache = new Map<string, number | null>();
  return (job, chip, cards) => {
    const work = (job as Partial<SyntheticJob>).workTokens;
    if (work === undefined || job.workloadClass === undefined) return job.durationSec;
    const key = `${job.workloadClass}|${chip}`;
    let per = cache.get(key);
    if (per === undefined) cache.set(key, (per = tput(job.workloadClass, chip)));
    if (per === null || per <= 0 || cards <= 0) return undefined;
    return work / (per * cards);
  };
}

/** Arrival rate that offers `load` (e.g. 0.8) of the fleet's cards, from the mix's mean reference work. */
export function rateForLoad(fleet: SyntheticFleetInfo, tput: ClassThroughputFn, o: Pick<SyntheticOptions, 'referenceChip' | 'mix'>, load: number): number {
  const prepared = prepareMix(fleet, tput, o);
  const wsum = prepared.reduce((s, p) => s + p.k.weight, 0);
  // Mean card-hours per job at reference speed; log-uniform mean = (hi - lo) / ln(hi / lo).
  const cardHours = prepared.reduce((s, p) => {
    const [lo, hi] = p.k.refHours;
    return s + (p.k.weight / wsum) * p.k.cards * (hi === lo ? lo : (hi - lo) / Math.log(hi / lo));
  }, 0);
  const cards = Object.values(fleet.cardsByChip).reduce((a, b) => a + b, 0);
  return cardHours > 0 ? (load * cards) / cardHours : 0;
}

/**
 * Glue between a fleet, the catalog and the performance model for a simulation: per-card class
 * throughput (cached; figures a fleet's contracts declare fill catalog gaps, as perf allows), the
 * scheduler's `PerfFn`, board power per chip, rent prices where the catalog has them, and the fleet
 * facts the synthetic generator needs.
 */
import type { Catalog } from '../../catalog/index.js';
import type { Fleet } from '../../fleet/index.js';
import { classThroughput, declaredFromFleet, resolveClass } from '../../perf/index.js';
import type { PerfFn, SchedJob } from '../../sched/types.js';
import type { ClassThroughputFn, SyntheticFleetInfo } from '../traces/synthetic.js';

export interface PerfLink {
  tput: ClassThroughputFn;
  perf: PerfFn;
  fleetInfo: SyntheticFleetInfo;
  powerWPerCard: Record<string, number>;
  /** Catalog rent prices (CNY per card-hour) for the fleet's chips that have one. */
  pricePerCardHour: Record<string, number>;
}

export function perfLink(fleet: Fleet, catalog: Catalog): PerfLink {
  const declared = declaredFromFleet(fleet);
  const cache = new Map<string, number | null>();
  const tput: ClassThroughputFn = (cls, chip) => {
    const key = `${cls}|${chip}`;
    let v = cache.get(key);
    if (v === undefined) {
      const spec = catalog.find(chip);
      v = spec ? classThroughput(spec, resolveClass(cls), declared.get(chip)).perCard : null;
      cache.set(key, v);
    }
    return v;
  };
  const perf: PerfFn = (job: SchedJob, chip: string, cards: number) => {
    if (!job.workloadClass) return undefined;
    const v = tput(job.workloadClass, chip);
    return v === null ? undefined : v * cards;
  };
  const cardsByChip: Record<string, number> = {};
  const maxNodeCardsByChip: Record<string, number> = {};
  const vendorOf: Record<string, string> = {};
  const powerWPerCard: Record<string, number> = {};
  const pricePerCardHour: Record<string, number> = {};
  for (const n of fleet.nodes) {
    cardsByChip[n.chip] = (cardsByChip[n.chip] ?? 0) + n.cards;
    maxNodeCardsByChip[n.chip] = Math.max(maxNodeCardsByChip[n.chip] ?? 0, n.cards);
  }
  for (const chip of Object.keys(cardsByChip)) {
    const spec = catalog.find(chip);
    vendorOf[chip] = spec?.vendor ?? chip;
    const p = spec?.tdpW.value;
    if (typeof p === 'number' && p > 0) powerWPerCard[chip] = p;
    const rent = spec?.prices.find((x) => x.kind === 'rent' && typeof x.cnyPerHour === 'number' && x.cnyPerHour > 0)?.cnyPerHour;
    if (rent !== undefined) pricePerCardHour[chip] = rent;
  }
  return { tput, perf, fleetInfo: { cardsByChip, vendorOf, maxNodeCardsByChip }, powerWPerCard, pricePerCardHour };
}

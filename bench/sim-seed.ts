/**
 * The seed-fleet experiment (issue 4, result 3): on unicom-2025, a synthetic mix of LLM pre-training,
 * LoRA fine-tuning and inference jobs, Tessera choosing each job's chip (by the performance model)
 * against pinning each job to one vendor (drawn in proportion to that vendor's cards among those
 * that can run it). Same jobs, same arrival times, same scheduler profile; prints average JCT and
 * cost. The catalog has no rent prices for these chips, so cost is shown as busy card-hours (what a
 * per-card-hour contract bills) and as energy at board power (TDP, from the catalog).
 * Env: SEED_JOBS (default 3000), SEED_LOAD (offered load at H20 speed, default 0.8), SEED_PROFILE (default `default`).
 */
import { pathToFileURL } from 'node:url';
import { builtinCatalog } from '../src/catalog/index.js';
import { builtinFleetDoc, expandFleet } from '../src/fleet/index.js';
import { resolveProfile, schedule, seededRng } from '../src/sched/index.js';
import { fleetToNodes, perfLink, simulate, type SimResult } from '../src/sim/core/index.js';
import { rateForLoad, syntheticDuration, syntheticJobs } from '../src/sim/traces/index.js';

export interface SeedComparison {
  choose: SimResult;
  vendor: SimResult;
  jobs: number;
  rate: number;
  seconds: { choose: number; vendor: number };
}

export function seedExperiment(count: number, load: number, profileName: string, seed = 1): SeedComparison {
  const catalog = builtinCatalog();
  const fleet = expandFleet(builtinFleetDoc('unicom-2025', catalog));
  const link = perfLink(fleet, catalog);
  const referenceChip = 'nvidia-h20';
  const rate = rateForLoad(link.fleetInfo, link.tput, { referenceChip }, load);
  const durationOn = syntheticDuration(link.tput);
  const run = (mode: 'choose' | 'vendor'): [SimResult, number] => {
    const t0 = process.hrtime.bigint();
    const r = simulate({
      nodes: fleetToNodes(fleet),
      jobs: syntheticJobs(link.fleetInfo, link.tput, { count, seed, jobsPerHour: rate, mode, referenceChip }),
      schedule,
      ctx: { profile: resolveProfile(profileName), rng: seededRng(seed), catalog, perf: link.perf },
      durationOn,
      powerWPerCard: link.powerWPerCard,
      ...(Object.keys(link.pricePerCardHour).length > 0 ? { pricePerCardHour: link.pricePerCardHour } : {}),
    });
    return [r, Number(process.hrtime.bigint() - t0) / 1e9];
  };
  const [choose, tc] = run('choose');
  const [vendor, tv] = run('vendor');
  return { choose, vendor, jobs: count, rate, seconds: { choose: tc, vendor: tv } };
}

const cardHours = (r: SimResult): number => r.perChip.reduce((s, c) => s + c.busyCardHours, 0);
const h = (s: number | null): string => (s === null ? 'n/a' : (s / 3600).toFixed(2));

export async function run(): Promise<string[]> {
  const count = Number(process.env.SEED_JOBS ?? 3000);
  const load = Number(process.env.SEED_LOAD ?? 0.8);
  const profile = process.env.SEED_PROFILE ?? 'default';
  const c = seedExperiment(count, load, profile);
  const line = (name: string, r: SimResult, sec: number): string =>
    `${name.padEnd(22)} JCT mean ${h(r.jctSec.mean).padStart(7)} h  p50 ${h(r.jctSec.p50).padStart(6)} h  p99 ${h(r.jctSec.p99).padStart(7)} h  queueing ${h(r.queueDelaySec.mean).padStart(6)} h  busy card-hours ${cardHours(r).toFixed(0).padStart(8)}  energy ${(r.energyKWh ?? 0).toFixed(0).padStart(7)} kWh${r.energyPartial ? '*' : ''}  SLO ${r.sloAttainment === null ? 'n/a' : `${(100 * r.sloAttainment).toFixed(1)}%`}  done ${r.jobs.completed}/${r.jobs.seen} (${sec.toFixed(1)} s)`;
  const jr = (c.vendor.jctSec.mean ?? 0) / Math.max(1e-9, c.choose.jctSec.mean ?? 0);
  const cr = cardHours(c.vendor) / Math.max(1e-9, cardHours(c.choose));
  return [
    `unicom-2025 (${c.choose.perChip.map((x) => `${x.cards} ${x.chip}`).join(', ')}); synthetic mix ${c.jobs} jobs at ${c.rate.toFixed(1)} jobs/h (offered load ${load} at H20 speed); profile ${profile}`,
    line('Tessera chooses chips', c.choose, c.seconds.choose),
    line('pinned to one vendor', c.vendor, c.seconds.vendor),
    `average JCT: pinned / chosen = ${jr.toFixed(2)}x (${jr > 1 ? 'choosing is faster' : 'choosing is NOT faster'}); cost as busy card-hours: pinned / chosen = ${cr.toFixed(2)}x (${cr > 1 ? 'choosing is cheaper' : 'choosing is NOT cheaper'}); energy: pinned / chosen = ${((c.vendor.energyKWh ?? 0) / Math.max(1e-9, c.choose.energyKWh ?? 0)).toFixed(2)}x`,
    `cost in money: ${c.choose.cost === null ? 'not computed, the catalog has no rent price for these chips (give --prices to tessera sim)' : `${c.choose.cost.toFixed(0)} vs ${(c.vendor.cost ?? 0).toFixed(0)}`}; * energy leaves out chips without a TDP figure (zhonghao-chana)`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await run()) console.log(l);
}

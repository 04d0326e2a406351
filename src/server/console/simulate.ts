/**
 * Simulation runs for the console: a seeded synthetic trace (Poisson arrivals; training, fine-tuning,
 * batch and inference jobs with every kind of chip request) through the same `schedule()` the
 * control plane calls, on the simulator's virtual clock, once per chosen profile. Bounded so a run
 * stays well under a second or two on the server: at most 4 profiles and 5,000 jobs.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { builtinFleetDoc, expandFleet, findBuiltinFleet, type Fleet } from '../../fleet/index.js';
import { invalid } from '../../lib/errors.js';
import { builtinProfiles, schedule, seededRng } from '../../sched/index.js';
import type { Rng } from '../../sched/types.js';
import { fleetToNodes, simulate, type SimJob, type SimResult } from '../../sim/core/index.js';

export interface SimulateRequest {
  fleet: string;
  jobs: number;
  seed: number;
  profiles: string[];
  /** Mean arrivals per minute. */
  arrivalsPerMin: number;
}

export interface ProfileRun {
  profile: string;
  result: Omit<SimResult, 'series' | 'watched' | 'explain' | 'rejections'> & { rejections: SimResult['rejections'] };
  series: { tSec: number; allocationRate: number; pending: number; running: number }[];
  wallMs: number;
}

const tenants = ['research', 'product', 'platform'];

/** The synthetic trace: deterministic in `seed`. Durations in seconds; card counts by kind. */
export function syntheticTrace(fleet: Fleet, n: number, seed: number, arrivalsPerMin: number): SimJob[] {
  const rng: Rng = seededRng(seed);
  const chips = [...new Set(fleet.nodes.map((x) => x.chip))].sort();
  const pick = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(rng.next() * xs.length))]!;
  const jobs: SimJob[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - rng.next()) * (60 / arrivalsPerMin);
    const kind = pick(['pretrain', 'finetune', 'finetune', 'batch', 'batch', 'batch', 'inference'] as const);
    const cards = kind === 'pretrain' ? pick([8, 16, 32]) : kind === 'finetune' ? pick([1, 2, 4, 8]) : 1;
    const fractional = (kind === 'batch' || kind === 'inference') && rng.next() < 0.4;
    const durationSec = Math.round((kind === 'pretrain' ? 3600 : kind === 'finetune' ? 1200 : 300) * Math.exp((rng.next() - 0.5) * 2));
    const r = rng.next();
    const request: SimJob['chips'] = r < 0.5 ? { kind: 'any' } : r < 0.75 ? { kind: 'pinned', chip: pick(chips) } : { kind: 'any-of', chips: [...new Set([pick(chips), pick(chips)])] };
    jobs.push({ id: `sim-${i + 1}`, tenant: pick(tenants), queue: 'default', priority: kind === 'pretrain' ? 10 : 0, submitTimeSec: Math.round(t), cards, milliPerCard: fractional ? pick([250, 500]) : 1000, gang: cards > 1, chips: request, durationSec, kind });
  }
  return jobs;
}

function downsample<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]!);
}

export function runSimulation(req: SimulateRequest, catalog: Catalog): { fleet: string; cards: number; jobs: number; runs: ProfileRun[] } {
  const entry = findBuiltinFleet(req.fleet);
  if (!entry || entry.kind !== 'data') throw invalid(`/fleet: '${req.fleet}' is not a built-in fleet described in data (try demo or unicom-2025)`);
  for (const [i, p] of req.profiles.entries()) if (!builtinProfiles[p]) throw invalid(`/profiles/${i}: unknown profile '${p}' (known: ${Object.keys(builtinProfiles).join(', ')})`);
  const fleet = expandFleet(builtinFleetDoc(req.fleet, catalog));
  const trace = syntheticTrace(fleet, req.jobs, req.seed, req.arrivalsPerMin);
  const powerWPerCard: Record<string, number> = {};
  const pricePerCardHour: Record<string, number> = {};
  for (const chip of new Set(fleet.nodes.map((x) => x.chip))) {
    const spec = catalog.tryResolve(chip);
    if (spec?.tdpW.value) powerWPerCard[chip] = spec.tdpW.value;
    const rent = spec?.prices.find((p) => p.kind === 'rent' && p.cnyPerHour !== undefined);
    if (rent?.cnyPerHour !== undefined) pricePerCardHour[chip] = rent.cnyPerHour;
  }
  const runs = req.profiles.map((profile): ProfileRun => {
    const t0 = performance.now();
    const r = simulate({ nodes: fleetToNodes(fleet), jobs: trace, schedule: schedule as never, ctx: { profile, rng: seededRng(req.seed), catalog }, powerWPerCard, pricePerCardHour, scheduleIntervalSec: 10 });
    const { series, watched: _w, explain: _e, rejections, ...rest } = r;
    return { profile, result: { ...rest, rejections: rejections.slice(0, 20) }, series: downsample(series, 300).map((p) => ({ tSec: p.tSec, allocationRate: p.allocationRate, pending: p.pending, running: p.running })), wallMs: Math.round(performance.now() - t0) };
  });
  return { fleet: fleet.name, cards: fleet.nodes.reduce((s, x) => s + x.cards, 0), jobs: trace.length, runs };
}

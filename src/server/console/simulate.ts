/**
 * Simulation runs for the console: the simulator's seeded synthetic workload (pre-training,
 * fine-tuning and inference jobs of perf workload classes, Poisson arrivals at an offered load of the
 * fleet; run times on each chip from the performance model) through the same `schedule()` the
 * control plane calls, on a virtual clock, once per chosen profile. Bounded so a run stays short on
 * the server: at most 4 profiles and 5,000 jobs.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { builtinFleetDoc, expandFleet, findBuiltinFleet } from '../../fleet/index.js';
import { invalid } from '../../lib/errors.js';
import { builtinProfiles, schedule, seededRng } from '../../sched/index.js';
import { fleetToNodes, perfLink, simulate, type SimResult } from '../../sim/core/index.js';
import { rateForLoad, syntheticDuration, syntheticJobs } from '../../sim/traces/index.js';

export interface SimulateRequest {
  fleet: string;
  jobs: number;
  seed: number;
  profiles: string[];
  /** Offered load as a share of the fleet's capacity at H20 speed (0.7 = 70 %). */
  load: number;
  /** choose: Tessera picks among every chip that can run the job; vendor: each job pinned to one vendor. */
  mode: 'choose' | 'vendor';
}

export interface ProfileRun {
  profile: string;
  result: Omit<SimResult, 'series' | 'watched' | 'explain' | 'rejections'> & { rejections: SimResult['rejections'] };
  series: { tSec: number; allocationRate: number; pending: number; running: number }[];
  wallMs: number;
}

const referenceChip = 'nvidia-h20';

function downsample<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]!);
}

export function runSimulation(req: SimulateRequest, catalog: Catalog): { fleet: string; cards: number; jobs: number; jobsPerHour: number; runs: ProfileRun[] } {
  const entry = findBuiltinFleet(req.fleet);
  if (!entry || entry.kind !== 'data') throw invalid(`/fleet: '${req.fleet}' is not a built-in fleet described in data (try demo or unicom-2025)`);
  for (const [i, p] of req.profiles.entries()) if (!builtinProfiles[p]) throw invalid(`/profiles/${i}: unknown profile '${p}' (known: ${Object.keys(builtinProfiles).join(', ')})`);
  const fleet = expandFleet(builtinFleetDoc(req.fleet, catalog));
  const link = perfLink(fleet, catalog);
  const jobsPerHour = rateForLoad(link.fleetInfo, link.tput, { referenceChip }, req.load);
  if (!(jobsPerHour > 0)) throw invalid(`/fleet: no job class of the synthetic mix can run on ${req.fleet} (the performance model has no estimate for its chips)`);
  const trace = [...syntheticJobs(link.fleetInfo, link.tput, { count: req.jobs, seed: req.seed, jobsPerHour, mode: req.mode, referenceChip })];
  const durationOn = syntheticDuration(link.tput);
  const runs = req.profiles.map((profile): ProfileRun => {
    const t0 = performance.now();
    const r = simulate({
      nodes: fleetToNodes(fleet),
      jobs: trace,
      schedule: schedule as never,
      ctx: { profile, rng: seededRng(req.seed), catalog, perf: link.perf },
      durationOn,
      powerWPerCard: link.powerWPerCard,
      pricePerCardHour: link.pricePerCardHour,
    });
    const { series, watched: _w, explain: _e, rejections, ...rest } = r;
    return { profile, result: { ...rest, rejections: rejections.slice(0, 20) }, series: downsample(series, 300).map((p) => ({ tSec: p.tSec, allocationRate: p.allocationRate, pending: p.pending, running: p.running })), wallMs: Math.round(performance.now() - t0) };
  });
  return { fleet: fleet.name, cards: fleet.nodes.reduce((s, x) => s + x.cards, 0), jobs: trace.length, jobsPerHour, runs };
}

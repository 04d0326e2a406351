import { TesseraError, ErrorCode, invalid } from '../../lib/errors.js';
import { LpBuilder, type LpSolver } from '../../sched/lp/index.js';
import type { ChipOption, ChipProfile, Mix, PlannedChip, ServingPlan, TrafficBucket } from './types.js';

export interface PlanInput {
  buckets: readonly TrafficBucket[];
  chips: readonly ChipOption[];
  /** Replica shapes per chip (several per chip allowed, e.g. TP 1 and TP 2). */
  profiles: readonly ChipProfile[];
  /** Highest planned load per replica, as a share of its SLO capacity (1 = Mélange's formulation). */
  maxUtilization?: number;
  /** HiGHS time limit per solve, seconds. */
  timeLimitSec?: number;
}

interface Shape {
  option: ChipOption & { priceCnyPerHour: number };
  profile: ChipProfile;
}

type Solved = { mix: Mix } | { mix: null; status: string };

/**
 * The cheapest replica mix as a mixed-integer program (Mélange's formulation, with replica shapes):
 *   minimise  sum_s price_s * cards_s * n_s
 *   s.t.      sum_s x_bs = 1                              for every bucket b (all its traffic is served)
 *             sum_b (rate_b / cap_bs) * x_bs <= u * n_s    for every shape s (replicas carry their load)
 *             sum_{s of chip c} cards_s * n_s <= available_c,  n_s integer >= 0,  0 <= x_bs <= 1
 * where cap_bs is what one replica of shape s sustains for bucket b under the SLO. The best single
 * chip type is the same program restricted to one chip's shapes.
 */
export function planServing(input: PlanInput, solver: LpSolver): ServingPlan {
  const u = input.maxUtilization ?? 1;
  if (!(u > 0 && u <= 1)) throw invalid(`maxUtilization must be in (0, 1], got ${u}.`);
  const { buckets } = input;
  if (buckets.length === 0) throw invalid('The traffic has no requests to plan for.');
  const excluded: { chip: string; reason: string }[] = [];
  const shapes: Shape[] = [];
  for (const option of input.chips) {
    const mine = input.profiles.filter((p) => p.chip === option.chip);
    const usable = mine.filter((p) => !p.unusable && p.capacity.some((c) => c.requestsPerSecPerReplica > 0));
    if (mine.length === 0) excluded.push({ chip: option.chip, reason: 'no performance profile' });
    else if (usable.length === 0) excluded.push({ chip: option.chip, reason: mine.find((p) => p.unusable)?.unusable ?? 'cannot meet the SLO for any request size' });
    else if (option.priceCnyPerHour === null) excluded.push({ chip: option.chip, reason: `price unknown; pass --price ${option.chip}=<CNY per card-hour>` });
    else if (option.availableCards !== null && usable.every((p) => p.cardsPerReplica > (option.availableCards as number))) excluded.push({ chip: option.chip, reason: `${option.availableCards} cards available, a replica needs ${Math.min(...usable.map((p) => p.cardsPerReplica))}` });
    else for (const profile of usable) shapes.push({ option: { ...option, priceCnyPerHour: option.priceCnyPerHour }, profile });
  }

  const chipIds = [...new Set(shapes.map((s) => s.option.chip))];
  const singleInfeasible: { chip: string; reason: string }[] = [];
  const singles = chipIds
    .flatMap((c) => {
      const r = solve(shapes.filter((s) => s.option.chip === c), buckets, u, solver, input.timeLimitSec);
      if (r.mix) return [r.mix];
      singleInfeasible.push({ chip: c, reason: r.status });
      return [];
    })
    .sort((a, b) => a.costCnyPerHour - b.costCnyPerHour);
  const bestSingle = singles[0] ?? null;
  const all = shapes.length === 0 ? { mix: null, status: 'no usable chip' } : solve(shapes, buckets, u, solver, input.timeLimitSec);
  const mix = all.mix;
  const savingFraction = mix && bestSingle && bestSingle.costCnyPerHour > 0 ? round((bestSingle.costCnyPerHour - mix.costCnyPerHour) / bestSingle.costCnyPerHour) : null;
  return { buckets: [...buckets], mix, bestSingle, singles, singleInfeasible, savingFraction, excluded, solver: { status: all.mix ? 'optimal' : all.status, version: solver.version } };
}

function solve(shapes: readonly Shape[], buckets: readonly TrafficBucket[], u: number, solver: LpSolver, timeLimitSec = 30): Solved {
  const uncovered = buckets.findIndex((_, b) => !shapes.some((s) => cap(s, b) > 0));
  if (uncovered >= 0) return { mix: null, status: `no chip meets the SLO for requests of ${buckets[uncovered]?.label}` };
  const lp = new LpBuilder('minimize');
  shapes.forEach((s, k) => lp.term(s.option.priceCnyPerHour * s.profile.cardsPerReplica, `n${k}`));
  lp.subjectTo();
  buckets.forEach((_, b) => {
    lp.row(`cover${b}`);
    shapes.forEach((s, k) => {
      if (cap(s, b) > 0) lp.term(1, `x${b}_${k}`);
    });
    lp.end('=', 1);
  });
  shapes.forEach((s, k) => {
    lp.row(`load${k}`);
    buckets.forEach((bk, b) => {
      if (cap(s, b) > 0) lp.term(bk.requestsPerSec / cap(s, b), `x${b}_${k}`);
    });
    lp.term(-u, `n${k}`).end('<=', 0);
  });
  const chips = [...new Set(shapes.map((s) => s.option.chip))];
  chips.forEach((c, ci) => {
    const avail = shapes.find((s) => s.option.chip === c)?.option.availableCards ?? null;
    if (avail === null) return;
    lp.row(`avail${ci}`);
    shapes.forEach((s, k) => {
      if (s.option.chip === c) lp.term(s.profile.cardsPerReplica, `n${k}`);
    });
    lp.end('<=', avail);
  });
  shapes.forEach((s, k) => {
    lp.bound(`n${k}`, 0, null);
    buckets.forEach((_, b) => {
      if (cap(s, b) > 0) lp.bound(`x${b}_${k}`, 0, 1);
    });
  });
  // LpBuilder writes continuous LPs; the replica counts are declared integer here.
  const text = lp.toString().replace(/End\n$/, `General\n${shapes.map((_, k) => ` n${k}`).join('\n')}\nEnd\n`);
  const sol = solver.solve(text, { time_limit: timeLimitSec, mip_rel_gap: 1e-6 });
  if (sol.Status === 'Infeasible') return { mix: null, status: 'infeasible: the available cards cannot carry this traffic under the SLO' };
  if (sol.Status !== 'Optimal') throw new TesseraError(ErrorCode.infeasible, `HiGHS did not prove a cheapest mix (status: ${sol.Status}).`);
  const col = (name: string): number => (sol.Columns[name] as { Primal: number } | undefined)?.Primal ?? 0;
  const planned: PlannedChip[] = [];
  shapes.forEach((s, k) => {
    const n = Math.round(col(`n${k}`));
    if (n === 0) return;
    const shares = buckets.map((_, b) => (cap(s, b) > 0 ? clean(col(`x${b}_${k}`)) : 0));
    const load = buckets.reduce((a, bk, b) => a + (cap(s, b) > 0 ? (bk.requestsPerSec * (shares[b] as number)) / cap(s, b) : 0), 0);
    planned.push({ chip: s.option.chip, cardsPerReplica: s.profile.cardsPerReplica, replicas: n, cards: n * s.profile.cardsPerReplica, costCnyPerHour: round(n * s.profile.cardsPerReplica * s.option.priceCnyPerHour), bucketShares: shares.map(round), utilization: round(load / n) });
  });
  return { mix: { chips: planned, costCnyPerHour: round(planned.reduce((a, c) => a + c.costCnyPerHour, 0)) } };
}

function cap(s: Shape, b: number): number {
  return s.profile.capacity[b]?.requestsPerSecPerReplica ?? 0;
}

function clean(x: number): number {
  return x < 1e-9 ? 0 : x > 1 - 1e-9 ? 1 : x;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

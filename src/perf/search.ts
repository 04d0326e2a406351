/**
 * Search over layouts and chips. `bestTrain` / `bestInfer` try the parallel layouts that make
 * sense for a card count (TP inside a server, PP across, the rest data-parallel) and keep the
 * fastest that fits; `bestChip` ranks chips for one workload under an objective.
 */
import type { ChipSpec } from '../catalog/types.js';
import { estimateInfer, inferLayoutProblem, validateInferRequest } from './infer.js';
import { estimateTrain, trainLayoutProblem, validateTrainRequest } from './train.js';
import { chipFigures } from './chip-figures.js';
import type { EstimateOptions } from './confidence.js';
import type { DeclaredChipFigures, Infeasible, InferRequest, InferResult, TrainRequest, TrainResult } from './types.js';

const POWERS = [1, 2, 4, 8, 16, 32, 64];

function cardsPerServer(chip: ChipSpec): number {
  return chip.cardsPerServer.value ?? 8;
}

/** Best training layout for the request's card count; fixed knobs (tp, pp, cp) are respected. */
export function bestTrain(req: TrainRequest, opts: EstimateOptions = {}): TrainResult {
  validateTrainRequest(req);
  const perServer = cardsPerServer(req.chip);
  const tps = req.tp !== undefined ? [req.tp] : POWERS.filter((t) => t <= Math.min(req.cards, Math.max(perServer, 1)));
  const pps = req.pp !== undefined ? [req.pp] : POWERS.filter((p) => p <= req.cards && p <= req.model.layers && p <= 16);
  const cp = req.cp ?? 1;
  let best: TrainResult | undefined;
  let bestLayout = { tp: 1, pp: 1 };
  let firstProblem: string | undefined;
  // Ascending TP and PP; more of either only adds communication or bubble once a layout fits
  // without recomputation, so the loops stop there (this keeps matrix evaluation cheap).
  for (const tp of tps) {
    let easyFit = false;
    for (const pp of pps) {
      const problem = trainLayoutProblem(req, tp, pp, cp);
      if (problem) {
        firstProblem ??= problem;
        continue;
      }
      // Candidates are compared at a fixed interleaving (v up to 4); the winner gets the full v search below.
      const r = estimateTrain({ ...req, tp, pp, cp, virtualStages: req.virtualStages ?? interleaving(req.model.layers, pp) }, { explain: false });
      if (r.kind === 'cannot-estimate') return r;
      if (!best || better(r, best, (x) => (x.kind === 'train' ? x.tokensPerSec : -1), (x) => (x.kind === 'infeasible' ? (x.memoryPerCardGiB ?? Infinity) : Infinity))) {
        best = r;
        bestLayout = { tp, pp };
      }
      if (r.kind === 'train' && r.layout.recompute === 'none') {
        easyFit = pp === 1;
        break;
      }
    }
    if (easyFit) break;
  }
  // Re-run the winner (or the closest miss) with its full assumptions list.
  if (best && best.kind !== 'cannot-estimate' && (best.kind === 'train' || opts.explain !== false)) return estimateTrain({ ...req, tp: bestLayout.tp, pp: bestLayout.pp, cp }, opts);
  return best ?? noLayout(firstProblem);
}

/** The largest divisor of the layers per stage that is at most 4 (1 without pipelining). */
function interleaving(layers: number, pp: number): number {
  const per = Math.floor(layers / pp);
  for (let v = Math.min(4, per); v > 1; v--) if (per % v === 0) return v;
  return 1;
}

/** Best TP/PP for inference on the request's cards: the highest output tokens/s per card (at the SLO when one is given). */
export function bestInfer(req: InferRequest, opts: EstimateOptions = {}): InferResult {
  validateInferRequest(req);
  const tps = req.tp !== undefined ? [req.tp] : POWERS.filter((t) => t <= req.cards);
  const pps = req.pp !== undefined ? [req.pp] : [1, 2, 4, 8].filter((p) => p <= req.cards);
  let best: InferResult | undefined;
  let bestLayout = { tp: 1, pp: 1 };
  let firstProblem: string | undefined;
  for (const tp of tps) {
    for (const pp of pps) {
      const problem = inferLayoutProblem(req, tp, pp);
      if (problem) {
        firstProblem ??= problem;
        continue;
      }
      // Pipeline stages only help when TP alone cannot hold the model.
      if (pp > 1 && best?.kind === 'inference' && req.pp === undefined) continue;
      const r = estimateInfer({ ...req, tp, pp }, { explain: false });
      if (r.kind === 'cannot-estimate') return r;
      if (!best || better(r, best, (x) => (x.kind === 'inference' ? x.outputTokensPerSecPerCard : -1), (x) => (x.kind === 'infeasible' ? (x.memoryPerCardGiB ?? Infinity) : Infinity))) {
        best = r;
        bestLayout = { tp, pp };
      }
    }
  }
  if (best && best.kind !== 'cannot-estimate' && opts.explain !== false) return estimateInfer({ ...req, tp: bestLayout.tp, pp: bestLayout.pp });
  return best ?? noLayout(firstProblem);
}

/** `a` beats `b`: a feasible result beats an infeasible one; among feasible, the higher score; among infeasible, one that fits, then the smaller memory need. */
function better<T extends { kind: string }>(a: T, b: T, score: (x: T) => number, need: (x: T) => number): boolean {
  const fa = a.kind !== 'infeasible';
  const fb = b.kind !== 'infeasible';
  if (fa !== fb) return fa;
  if (fa) return score(a) > score(b);
  // Among failures, one that fits (e.g. misses an SLO) says more than one that does not fit.
  const fitA = (a as { fits?: boolean }).fits !== false;
  const fitB = (b as { fits?: boolean }).fits !== false;
  if (fitA !== fitB) return fitA;
  // Both miss an SLO: the one that comes closest says what the best layout achieves.
  const shortA = (a as { sloShortfall?: number }).sloShortfall;
  const shortB = (b as { sloShortfall?: number }).sloShortfall;
  if (shortA !== undefined && shortB !== undefined) return shortA < shortB;
  return need(a) < need(b);
}

function noLayout(problem: string | undefined): Infeasible {
  return { kind: 'infeasible', reason: problem ?? 'no parallel layout is possible for this card count', fits: true, assumptions: [], confidence: 'low', confidenceReasons: [] };
}

export const Objective = { time: 'time', cost: 'cost', energy: 'energy' } as const;
export type Objective = (typeof Objective)[keyof typeof Objective];

export interface ChipRanking {
  chip: string;
  cards: number;
  /** Lower is better: seconds per million tokens (time), CNY per million tokens (cost), kWh per million tokens (energy); null when unknown. */
  score: number | null;
  unit: string;
  tokensPerSec: number | null;
  result: TrainResult | InferResult;
  note?: string;
}

export type Workload = { task: 'train'; request: Omit<TrainRequest, 'chip' | 'cards'> } | { task: 'inference'; request: Omit<InferRequest, 'chip' | 'cards'> };

/**
 * Ranks chips for one workload. `cardsFor(chip)` says how many cards of that chip the workload
 * may use (e.g. the request's count, capped by what a fleet has). Chips without a score (does not
 * fit, unknown figure, unknown price for a cost objective) come last with the reason.
 */
export function bestChip(
  workload: Workload,
  chips: readonly ChipSpec[],
  objective: Objective,
  cardsFor: (chip: ChipSpec) => number,
  declaredFor: (chip: ChipSpec) => DeclaredChipFigures | undefined = () => undefined,
): ChipRanking[] {
  const unit = objective === 'time' ? 'seconds per million tokens' : objective === 'cost' ? 'CNY per million tokens' : 'kWh per million tokens';
  const rows: ChipRanking[] = chips.map((chip) => {
    const cards = cardsFor(chip);
    if (cards < 1) return { chip: chip.id, cards, score: null, unit, tokensPerSec: null, result: noLayout('no cards of this chip available'), note: 'no cards available' };
    let tokensPerSec: number | null = null;
    let costPerHour: number | null = null;
    let powerW: number | null = null;
    let result: TrainResult | InferResult;
    const declared = declaredFor(chip) ?? workload.request.declared;
    if (workload.task === 'train') {
      result = bestTrain({ ...workload.request, chip, cards, ...(declared ? { declared } : {}) });
      if (result.kind === 'train') tokensPerSec = result.tokensPerSec;
    } else {
      result = bestInfer({ ...workload.request, chip, cards, ...(declared ? { declared } : {}) });
      if (result.kind === 'inference') tokensPerSec = result.outputTokensPerSecTotal;
    }
    if (tokensPerSec === null || tokensPerSec <= 0) return { chip: chip.id, cards, score: null, unit, tokensPerSec: null, result, note: 'reason' in result ? result.reason : 'no estimate' };
    const figures = chipFigures(chip, declared);
    const price = figures.cnyPerHour.value;
    costPerHour = price !== null ? price * cards : null;
    powerW = figures.powerW.value;
    const perMillionSec = 1e6 / tokensPerSec;
    let score: number | null;
    let note: string | undefined;
    if (objective === 'time') score = perMillionSec;
    else if (objective === 'cost') {
      score = costPerHour === null ? null : (costPerHour * perMillionSec) / 3600;
      if (score === null) note = 'price unknown: declare one (CNY per card-hour) to rank by cost';
    } else {
      score = powerW === null ? null : (powerW * cards * perMillionSec) / 3.6e6;
      if (score === null) note = 'power unknown';
    }
    return { chip: chip.id, cards, score, unit, tokensPerSec, result, ...(note ? { note } : {}) };
  });
  return rows.sort((a, b) => (a.score === null ? 1 : b.score === null ? -1 : a.score - b.score));
}

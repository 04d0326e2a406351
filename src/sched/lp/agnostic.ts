/**
 * Heterogeneity-agnostic max-min fairness in closed form. Gavel's `MaxMinFairnessPolicy` sets every
 * throughput to 1 and solves max z s.t. sf_m * sum_j X[m][j] / w_m >= z with the base constraints.
 * When every job may run on every chip type (the pooled case: Gavel's own simulations, where
 * the agnostic policy gives every job throughput 1 on every type), the types are interchangeable,
 * so the LP reduces to one pool of C = sum_j capacity_j cards: each job's time share is
 * s_m = min(1, z * w_m / sf_m), with z the largest value such that sum_m sf_m * s_m <= C
 * (water-filling). Any split of s_m over the types with sum_m sf_m X[m][j] <= capacity_j is
 * equally optimal; an interior-point solver (ECOS, which Gavel uses) lands at the symmetric centre,
 * which is the split in proportion to card counts used here. Solving this with HiGHS for every
 * round gave the same optimum at a few ms per round; the closed form costs microseconds.
 */
import type { AllocationProblem } from './problem.js';

export interface AgnosticSolution {
  allocation: Float64Array;
  /** The LP's optimum z (the smallest weighted, scale-factor-multiplied time share). */
  objective: number;
}

/** True when every job can run on every chip type with cards (throughput > 0 wherever capacity > 0). */
export function isPooled(p: AllocationProblem): boolean {
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) if ((p.capacity[j] as number) > 0 && !((p.throughput[i * n + j] as number) > 0)) return false;
  }
  return true;
}

/** The agnostic max-min optimum when the problem is pooled; null otherwise (the caller solves the LP). */
export function agnosticMaxMin(p: AllocationProblem): AgnosticSolution | null {
  if (!isPooled(p)) return null;
  const m = p.jobIds.length;
  const n = p.chipTypes.length;
  let cards = 0;
  for (let j = 0; j < n; j++) cards += p.capacity[j] as number;
  const allocation = new Float64Array(m * n);
  if (m === 0 || cards <= 0) return { allocation, objective: 0 };
  const weight = (i: number): number => (p.weight?.[i] as number | undefined) ?? 1;
  // Job i saturates (s_i = 1) once z >= sf_i / w_i. Walk the breakpoints in increasing order:
  // below the next breakpoint the demand is sum(saturated sf) + z * sum(unsaturated w).
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (p.scaleFactor[a] as number) / weight(a) - (p.scaleFactor[b] as number) / weight(b));
  let saturatedCards = 0;
  let openWeight = 0;
  for (let i = 0; i < m; i++) openWeight += weight(i);
  let z = Number.POSITIVE_INFINITY;
  for (const i of order) {
    const breakpoint = (p.scaleFactor[i] as number) / weight(i);
    // Demand at this breakpoint with every job before it saturated.
    if (saturatedCards + breakpoint * openWeight > cards) {
      z = (cards - saturatedCards) / openWeight;
      break;
    }
    saturatedCards += p.scaleFactor[i] as number;
    openWeight -= weight(i);
  }
  for (let i = 0; i < m; i++) {
    const sf = p.scaleFactor[i] as number;
    const share = Math.min(1, (z * weight(i)) / sf);
    for (let j = 0; j < n; j++) allocation[i * n + j] = (share * (p.capacity[j] as number)) / cards;
  }
  let objective = Number.POSITIVE_INFINITY;
  for (let i = 0; i < m; i++) objective = Math.min(objective, (Math.min(1, (z * weight(i)) / (p.scaleFactor[i] as number)) * (p.scaleFactor[i] as number)) / weight(i));
  return { allocation, objective };
}

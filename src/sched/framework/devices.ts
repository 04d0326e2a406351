import { CARD_MILLI, type ClusterState } from './cluster-state.js';
import type { Cycle } from './plugin.js';
import type { Transaction } from './transaction.js';

/**
 * `k` fully free devices of `node`: inside one link domain when one can hold them all (the domain with
 * the fewest free cards that suffices, so that whole domains stay free for larger jobs), else the
 * lowest-index free devices. With one domain per node this is open-gpu-share's AllocateExclusiveGpuId.
 */
export function pickWholeDevices(state: ClusterState, node: number, k: number): number[] | null {
  const start = state.devStart[node] as number;
  const cards = state.cardsOf[node] as number;
  const domain = state.linkDomainSize[node] as number;
  if ((state.freeWhole[node] as number) < k) return null;
  if (domain > 0 && domain < cards && k <= domain) {
    let bestDomain = -1;
    let bestFree = Infinity;
    for (let d = 0; d * domain < cards; d++) {
      let free = 0;
      for (let i = d * domain; i < Math.min(cards, (d + 1) * domain); i++) if (state.freeMilli[start + i] === CARD_MILLI) free++;
      if (free >= k && free < bestFree) {
        bestFree = free;
        bestDomain = d;
      }
    }
    if (bestDomain >= 0) return lowestFree(state, node, k, bestDomain * domain, Math.min(cards, (bestDomain + 1) * domain));
  }
  return lowestFree(state, node, k, 0, cards);
}

function lowestFree(state: ClusterState, node: number, k: number, from: number, to: number): number[] | null {
  const start = state.devStart[node] as number;
  const out: number[] = [];
  for (let i = from; i < to && out.length < k; i++) if (state.freeMilli[start + i] === CARD_MILLI) out.push(i);
  return out.length === k ? out : null;
}

/** `k` devices with at least `milli` free, tightest first (smallest free, then lowest index). */
export function pickTightestDevices(state: ClusterState, node: number, k: number, milli: number): number[] | null {
  const start = state.devStart[node] as number;
  const cards = state.cardsOf[node] as number;
  const idx: number[] = [];
  for (let i = 0; i < cards; i++) if ((state.freeMilli[start + i] as number) >= milli) idx.push(i);
  if (idx.length < k) return null;
  idx.sort((a, b) => (state.freeMilli[start + a] as number) - (state.freeMilli[start + b] as number) || a - b);
  return idx.slice(0, k).sort((a, b) => a - b);
}

/** Reserves `devices` on `node` for `cards` of the job's cards, with the matching share of CPU and memory. */
export function reserveOn(cycle: Cycle, node: number, devices: number[], cards: number, txn: Transaction): void {
  const share = cycle.cards === 0 ? 1 : cards / cycle.cards;
  txn.reserve(node, devices, cycle.milli, cycle.cpuMilli * share, cycle.memoryMiB * share, cycle.tag);
}

import { invalid } from '../../lib/errors.js';
import { numberArg, onlyArgs } from '../framework/args.js';
import { CARD_MILLI, type ClusterState } from '../framework/cluster-state.js';
import type { Cycle } from '../framework/plugin.js';
import type { MixEntry } from './fgd-mix.js';
import type { FragMeter } from './fragmentation.js';

/**
 * FGD's node choice with a one-step look-ahead (Tessera's own; the `lookahead` argument of the fgd
 * plugin, used by the `default` profile): among the `k` nodes FGD ranks first (integer score, then
 * fewer cards, then rank), the one minimising this job's fragmentation increase plus the expected
 * increase of the next job is promoted just above the best FGD score. The next job is drawn from the
 * `shapes` most popular mix entries and placed at its best among the candidates (a next job that fits
 * none of them goes elsewhere alike and is not charged). The fragmentation is FGD's, against the same
 * mix, so it uses no knowledge of the arrivals beyond what FGD has.
 */
export interface LookaheadOptions {
  k: number;
  shapes: number;
}

export type LookaheadStep = (meter: FragMeter, cycle: Cycle, state: ClusterState, feasible: Int32Array, scores: Float64Array, count: number) => void;

export function parseLookahead(plugin: string, raw: unknown): LookaheadOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`plugin "${plugin}": lookahead must be an object {k, shapes}`);
  const args = raw as Record<string, unknown>;
  onlyArgs(`${plugin}.lookahead`, args, ['k', 'shapes']);
  return { k: numberArg(`${plugin}.lookahead`, args, 'k', 2, 2, 16), shapes: numberArg(`${plugin}.lookahead`, args, 'shapes', 5, 1, 64) };
}

/** A look-ahead step with its own buffers; `scores` holds FGD's integer scores of `feasible` and is rewritten in place. */
export function lookaheadStep(opts: LookaheadOptions): LookaheadStep {
  const { k, shapes: shapeCount } = opts;
  let meter: FragMeter | null = null;
  let next: MixEntry[] = [];
  let nextWeight = 1;
  let bound: ClusterState | null = null;
  let maxCards = 1;
  let a = new Int32Array(64);
  let b = new Int32Array(64);

  const load = (state: ClusterState, node: number, into: Int32Array): number => {
    const n = state.cardsOf[node] as number;
    into.set(state.freeMilli.subarray(state.devStart[node] as number, (state.devStart[node] as number) + n));
    return n;
  };
  const cpuOf = (state: ClusterState, node: number): number => {
    const c = state.cpuFree[node] as number;
    return Number.isFinite(c) ? c : Infinity;
  };
  const chip = (state: ClusterState, node: number): number => state.chipOf[node] as number;

  /** Places (cpu, milli, cards) on the node's free list in `lefts` the way FGD reserves; returns the frag increase or Infinity when it does not fit. */
  const place = (lefts: Int32Array, n: number, ch: number, cpu: number, jobCpu: number, milli: number, cards: number): number => {
    if (cpu < jobCpu) return Infinity;
    const m = meter as FragMeter;
    const before = m.frag(ch, cpu, lefts, n);
    if (cards === 1 && milli < CARD_MILLI) {
      let bestDev = -1;
      let bestAfter = Infinity;
      for (let i = 0; i < n; i++) {
        const free = lefts[i] as number;
        if (free < milli) continue;
        lefts[i] = free - milli;
        const after = m.frag(ch, cpu - jobCpu, lefts, n);
        lefts[i] = free;
        if (after < bestAfter) {
          bestAfter = after;
          bestDev = i;
        }
      }
      if (bestDev < 0) return Infinity;
      lefts[bestDev] = (lefts[bestDev] as number) - milli;
      return bestAfter - before;
    }
    if (cards > 0 && !takeTightest(lefts, n, milli, cards)) return Infinity;
    return m.frag(ch, cpu - jobCpu, lefts, n) - before;
  };


  return (current, cycle, state, feasible, scores, count) => {
      if (count < 2 || (cycle.cards === 0 && cycle.cpuMilli === 0) || current.mix.length === 0) return;
      if (current !== meter) {
        meter = current;
        next = [...current.mix].sort((x, y) => y.weight - x.weight).slice(0, shapeCount);
        nextWeight = next.reduce((sum, e) => sum + e.weight, 0) || 1;
      }
      if (bound !== state) {
        bound = state;
        maxCards = 1;
        for (let i = 0; i < state.nodeCount; i++) maxCards = Math.max(maxCards, state.cardsOf[i] as number);
        a = new Int32Array(Math.max(64, maxCards));
        b = new Int32Array(Math.max(64, maxCards));
      }
      // The order the default profile would use: FGD's integer score, then fewer cards, then rank.
      const order: { node: number; s: number }[] = [];
      for (let i = 0; i < count; i++) order.push({ node: feasible[i] as number, s: scores[i] as number });
      order.sort((x, y) => y.s - x.s || (state.cardsOf[x.node] as number) - (state.cardsOf[y.node] as number) || (state.rank[x.node] as number) - (state.rank[y.node] as number));
      const cands = order.slice(0, k).map((o) => o.node);
      // Per next shape: its increase on each candidate as it is now.
      const now = next.map((m) =>
        cands.map((c) => {
          const n = load(state, c, b);
          return m.chips && !m.chips.includes(state.chips[chip(state, c)] as string) ? Infinity : place(b, n, chip(state, c), cpuOf(state, c), m.cpuMilli, m.milli, m.cards);
        }),
      );
      let best = 0;
      let bestCost = Infinity;
      cands.forEach((c, ci) => {
        const n = load(state, c, a);
        const cpuAfter = cpuOf(state, c) - cycle.cpuMilli;
        const dj = place(a, n, chip(state, c), cpuOf(state, c), cycle.cpuMilli, cycle.milli, cycle.cards);
        if (!Number.isFinite(dj)) return;
        let cost = dj;
        next.forEach((m, mi) => {
          b.set(a.subarray(0, n));
          const here = m.chips && !m.chips.includes(state.chips[chip(state, c)] as string) ? Infinity : place(b, n, chip(state, c), cpuAfter, m.cpuMilli, m.milli, m.cards);
          let alt = here;
          const row = now[mi] as number[];
          for (let di = 0; di < cands.length; di++) if (di !== ci) alt = Math.min(alt, row[di] as number);
          // A next job that fits none of the candidates is charged nothing here: it goes elsewhere alike.
          if (Number.isFinite(alt)) cost += (m.weight / nextWeight) * alt;
        });
        if (cost < bestCost - 1e-6) {
          bestCost = cost;
          best = ci;
        }
      });
      // Just above the best FGD score (one point and a bit, so the link-domain and node-size terms
      // below it cannot undo the choice); chip preference, weighted far higher, still comes first.
      const winner = cands[best] as number;
      const top = (order[0] as { s: number }).s;
      for (let i = 0; i < count; i++) if (feasible[i] === winner) scores[i] = top + 1.01;
  };
}

/** Takes `milli` from the `cards` tightest devices that fit (FGD's rule); false when too few fit. */
function takeTightest(lefts: Int32Array, n: number, milli: number, cards: number): boolean {
  const taken: number[] = [];
  for (let c = 0; c < cards; c++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken.includes(i)) continue;
      const left = lefts[i] as number;
      if (left >= milli && (best < 0 || left < (lefts[best] as number))) best = i;
    }
    if (best < 0) return false;
    taken.push(best);
  }
  for (const i of taken) lefts[i] = (lefts[i] as number) - milli;
  return true;
}

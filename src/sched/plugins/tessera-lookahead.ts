import { invalid } from '../../lib/errors.js';
import { numberArg, onlyArgs } from '../framework/args.js';
import { CARD_MILLI, type ClusterState } from '../framework/cluster-state.js';
import type { PluginFactory, ScorePlugin } from '../framework/plugin.js';
import type { MixEntry } from './fgd-mix.js';
import { factory as fgdFactory } from './fgd.js';
import { FragMeter } from './fragmentation.js';

export const NAME = 'tessera-lookahead';

/**
 * One-step look-ahead over FGD's best candidates: among the `k` nodes FGD (integer score, then smaller
 * nodes, then rank) would rank first, pick the one minimising the fragmentation increase of this job
 * plus the expected increase of the next job, drawn from the `shapes` most likely mix entries, placed
 * at its best among the candidates. The winner scores 1, the rest 0; give it a weight above FGD's range.
 */
export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['targetMix', 'k', 'shapes']);
  const k = numberArg(NAME, args, 'k', 3, 2, 16);
  const shapeCount = numberArg(NAME, args, 'shapes', 1, 1, 64);
  if (!Array.isArray(args.targetMix) || args.targetMix.length === 0) throw invalid(`plugin "${NAME}": targetMix must be a non-empty list of mix entries`);
  const mix = args.targetMix as MixEntry[];
  const meter = new FragMeter(mix);
  const next = [...mix].sort((a, b) => b.weight - a.weight).slice(0, shapeCount);
  const nextWeight = next.reduce((s, m) => s + m.weight, 0);
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
    const before = meter.frag(ch, cpu, lefts, n);
    if (cards === 1 && milli < CARD_MILLI) {
      let bestDev = -1;
      let bestAfter = Infinity;
      for (let i = 0; i < n; i++) {
        const free = lefts[i] as number;
        if (free < milli) continue;
        lefts[i] = free - milli;
        const after = meter.frag(ch, cpu - jobCpu, lefts, n);
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
    return meter.frag(ch, cpu - jobCpu, lefts, n) - before;
  };

  // FGD's own (memoised) integer score: the scores buffer then holds the order to look ahead from.
  const inner = fgdFactory({ targetMix: mix, deviceChoice: 'exact' }) as ScorePlugin;

  const plugin: ScorePlugin = {
    name: NAME,
    score: (cycle, state, node) => inner.score(cycle, state, node),
    normalize: (cycle, state, feasible, scores, count) => {
      const fgdScores = Float64Array.from(scores.subarray(0, count));
      scores.fill(0, 0, count);
      if (bound !== state) {
        bound = state;
        meter.bind(state);
        maxCards = 1;
        for (let i = 0; i < state.nodeCount; i++) maxCards = Math.max(maxCards, state.cardsOf[i] as number);
        a = new Int32Array(Math.max(64, maxCards));
        b = new Int32Array(Math.max(64, maxCards));
      }
      if (count < 2 || (cycle.cards === 0 && cycle.cpuMilli === 0)) return;
      // The order the default profile would use: FGD's integer score, then fewer cards, then rank.
      const order: { node: number; s: number }[] = [];
      for (let i = 0; i < count; i++) order.push({ node: feasible[i] as number, s: fgdScores[i] as number });
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
      const winner = cands[best] as number;
      for (let i = 0; i < count; i++) if (feasible[i] === winner) scores[i] = 1;
    },
  };
  return plugin;
};

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

import { invalid } from '../../lib/errors.js';
import { enumArg, numberArg, onlyArgs } from '../framework/args.js';
import { CARD_MILLI, type ClusterState } from '../framework/cluster-state.js';
import { pickTightestDevices, pickWholeDevices, reserveOn } from '../framework/devices.js';
import type { Cycle, PluginFactory, PreparePlugin, ReservePlugin, ScorePlugin } from '../framework/plugin.js';
import { typicalMix, type MixEntry } from './fgd-mix.js';
import { FragMeter } from './fragmentation.js';
import { lookaheadStep, parseLookahead } from './tessera-lookahead.js';

export const NAME = 'fgd';

/**
 * Fragmentation gradient descent (Weng et al., ATC'23), re-derived: place each job where it increases
 * the fleet's expected fragmentation against the target mix the least. Score `trunc(100 *
 * sigmoid((F(n) - F(n'))/1000))` where n' is the node after placement; for a fractional job every card
 * that fits is tried and the best card is the one reserved. `resolution: exact` keeps the unrounded
 * sigmoid so that fewer nodes tie (the `default` profile uses it).
 *
 * The mix comes from `targetMix` or, when absent, from the queue seen at `prepare`. Results are
 * memoised per node and job shape and dropped when the node changes (its version moves).
 * `deviceChoice` picks the card of a fractional job among those reaching the node's best (integer)
 * score: `first` (FGD's rule), `exact` (the largest unrounded gain; the default profile) or `tightest`.
 * `lookahead: {k, shapes}` adds Tessera's one-step look-ahead over FGD's k best nodes (tessera-lookahead.ts).
 */
export interface FgdPlugin extends ScorePlugin, ReservePlugin, PreparePlugin {
  meter(): FragMeter | null;
}

export const factory: PluginFactory = (args) => {
  onlyArgs(NAME, args, ['targetMix', 'resolution', 'coverage', 'scaleMilli', 'deviceChoice', 'lookahead']);
  const lookahead = args.lookahead === undefined ? null : lookaheadStep(parseLookahead(NAME, args.lookahead));
  const resolution = enumArg(NAME, args, 'resolution', ['int', 'exact'] as const, 'int');
  const coverage = numberArg(NAME, args, 'coverage', 0.95, 0.01, 1);
  const scaleMilli = numberArg(NAME, args, 'scaleMilli', 1000, 1, 1e9);
  // Which card a fractional job takes among those reaching the node's best score: the first (FGD's rule),
  // the one with the largest unrounded gain, or the tightest fit.
  const deviceChoice = enumArg(NAME, args, 'deviceChoice', ['first', 'exact', 'tightest'] as const, 'first');
  const fixedMix = args.targetMix === undefined ? null : parseMix(args.targetMix);
  let meter: FragMeter | null = fixedMix ? new FragMeter(fixedMix) : null;
  let bound: ClusterState | null = null;
  // Memo: per (node, job shape) the score and card, valid while the node's version matches its stamp.
  // Flat typed arrays rather than maps: this lookup runs for every feasible node of every job.
  let shapes = new Map<string, number>();
  let slots = 64;
  let memoScore = new Float64Array(0);
  let memoDevice = new Int32Array(0);
  let memoStamp = new Uint32Array(0);
  let baseStamp = new Uint32Array(0);
  let baseFrag = new Float64Array(0);
  let lefts = new Int32Array(64);
  let shapeCycle: Cycle | null = null;
  let shape = 0;
  // Entries are valid for one generation (one mix on one state): a new mix from `prepare` on the same
  // long-lived state starts a new generation instead of reallocating the arrays, which in a simulation
  // (one prepare per scheduling round, MBs per round) was most of the run's time and garbage.
  let gen = 0;
  let memoGen = new Uint32Array(0);
  let baseGen = new Uint32Array(0);
  let sizedFor: ClusterState | null = null;

  const resetMemo = (nodeCount: number): void => {
    shapes = new Map();
    memoScore = new Float64Array(nodeCount * slots);
    memoDevice = new Int32Array(nodeCount * slots);
    memoStamp = new Uint32Array(nodeCount * slots);
    memoGen = new Uint32Array(nodeCount * slots);
  };

  const bind = (state: ClusterState): void => {
    if (bound === state) return;
    bound = state;
    meter?.bind(state);
    gen = (gen + 1) >>> 0;
    shapes = new Map();
    shapeCycle = null;
    if (sizedFor === state && gen !== 0) return;
    sizedFor = state;
    gen = 1;
    resetMemo(state.nodeCount);
    baseGen = new Uint32Array(state.nodeCount);
    baseStamp = new Uint32Array(state.nodeCount);
    baseFrag = new Float64Array(state.nodeCount);
    let maxCards = 0;
    for (let i = 0; i < state.nodeCount; i++) maxCards = Math.max(maxCards, state.cardsOf[i] as number);
    lefts = new Int32Array(Math.max(64, maxCards));
  };

  const shapeOf = (cycle: Cycle, state: ClusterState): number => {
    if (shapeCycle === cycle) return shape;
    shapeCycle = cycle;
    const key = `${cycle.cpuMilli}|${cycle.milli}|${cycle.cards}`;
    let id = shapes.get(key);
    if (id === undefined) {
      if (shapes.size >= slots) {
        slots *= 2;
        resetMemo(state.nodeCount);
      }
      id = shapes.size;
      shapes.set(key, id);
    }
    shape = id;
    return id;
  };

  /** The node's score; for a fractional job also the card to use (memoDevice, -1: the whole-card rule). */
  const evaluate = (cycle: Cycle, state: ClusterState, node: number): number => {
    bind(state);
    const m = meter as FragMeter;
    const stamp = (state.version[node] as number) + 1;
    if (baseStamp[node] !== stamp || baseGen[node] !== gen) {
      baseStamp[node] = stamp;
      baseGen[node] = gen;
      baseFrag[node] = fragOf(m, state, node, 0, -1, 0, 0);
    }
    const slot = node * slots + shapeOf(cycle, state);
    if (memoStamp[slot] === stamp && memoGen[slot] === gen) return slot;
    const before = baseFrag[node] as number;
    let score: number;
    let device = -1;
    if (cycle.cards === 1 && cycle.milli < CARD_MILLI) {
      let best = -Infinity;
      let bestGain = -Infinity;
      for (let i = 0; i < (state.cardsOf[node] as number); i++) {
        const free = state.free(node, i);
        if (free < cycle.milli) continue;
        const gain = before - fragOf(m, state, node, cycle.cpuMilli, i, cycle.milli, 1);
        const s = toScore(gain, resolution, scaleMilli);
        const better =
          device < 0 ||
          s > best ||
          (s === best && deviceChoice === 'exact' && gain > bestGain) ||
          (s === best && deviceChoice === 'tightest' && free < state.free(node, device));
        if (better) {
          best = s;
          bestGain = gain;
          device = i;
        }
      }
      score = device < 0 ? 0 : best;
    } else {
      score = toScore(before - fragOf(m, state, node, cycle.cpuMilli, -1, cycle.milli, cycle.cards), resolution, scaleMilli);
    }
    memoScore[slot] = score;
    memoDevice[slot] = device;
    memoStamp[slot] = stamp;
    memoGen[slot] = gen;
    return slot;
  };

  /** F(n') with `cpu` taken and `milli` taken from device `dev`, or (dev < 0) from the `cards` tightest devices that fit. */
  const fragOf = (m: FragMeter, state: ClusterState, node: number, cpu: number, dev: number, milli: number, cards: number): number => {
    const n = state.cardsOf[node] as number;
    lefts.set(state.freeMilli.subarray(state.devStart[node] as number, (state.devStart[node] as number) + n));
    if (dev >= 0) lefts[dev] = (lefts[dev] as number) - milli;
    else if (cards > 0) takeTightest(lefts, n, milli, cards);
    const cpuFree = state.cpuFree[node] as number;
    return m.frag(state.chipOf[node] as number, Number.isFinite(cpuFree) ? cpuFree - cpu : Infinity, lefts, n);
  };

  const plugin: FgdPlugin = {
    name: NAME,
    meter: () => meter,
    prepare: (state, queue) => {
      if (!fixedMix) {
        const shapes = queue.map((j) => ({ cpuMilli: j.cpuMilli ?? 0, milli: j.cards === 0 ? 0 : j.milliPerCard, cards: j.cards, chips: j.chips.kind === 'pinned' ? [j.chips.chip] : j.chips.kind === 'any-of' ? j.chips.chips : null }));
        meter = new FragMeter(shapes.length > 0 ? typicalMix(shapes, coverage) : []);
        bound = null;
      }
      bind(state);
    },
    score: (cycle, state, node) => {
      if (!meter) throw invalid('the fgd plugin has no target mix: give targetMix or list it under prepare');
      if (cycle.cards === 0 && cycle.cpuMilli === 0) return 100;
      // evaluate() may reallocate the memo, so read the arrays after it returns.
      const slot = evaluate(cycle, state, node);
      return memoScore[slot] as number;
    },
    ...(lookahead ? { normalize: (cycle: Cycle, state: ClusterState, feasible: Int32Array, scores: Float64Array, count: number) => meter && lookahead(meter, cycle, state, feasible, scores, count) } : {}),
    reserve: (cycle, state, node, cards, txn) => {
      let devices: number[] | null;
      if (cards === 0) devices = [];
      else if (cards === 1 && cycle.milli < CARD_MILLI && meter) {
        const slot = evaluate(cycle, state, node);
        const dev = memoDevice[slot] as number;
        devices = dev >= 0 ? [dev] : null;
      } else devices = cycle.milli >= CARD_MILLI ? pickWholeDevices(state, node, cards) : pickTightestDevices(state, node, cards, cycle.milli);
      if (!devices) return false;
      reserveOn(cycle, node, devices, cards, txn);
      return true;
    },
  };
  return plugin;
};

function toScore(delta: number, resolution: 'int' | 'exact', scaleMilli: number): number {
  // Exact scores use the gain rounded to 1/1000 milli, so equal placements tie exactly (and fall to
  // the rank order) instead of being split by floating-point noise.
  const d = resolution === 'exact' ? Math.round(delta * 1000) / 1000 : delta;
  const s = (1 / (1 + Math.exp(-d / scaleMilli))) * 100;
  return resolution === 'int' ? Math.trunc(s) : s;
}


/** Takes `milli` from the `cards` devices with the least free that still fit (FGD's NodeResource.Sub). */
function takeTightest(lefts: Int32Array, n: number, milli: number, cards: number): void {
  for (let c = 0; c < cards; c++) {
    let best = -1;
    for (let k = 0; k < n; k++) {
      const left = lefts[k] as number;
      if (left >= milli && left !== -1 && (best < 0 || left < (lefts[best] as number))) best = k;
    }
    if (best < 0) return;
    // Mark as taken with a sentinel until all are chosen, so the same device is not picked twice.
    lefts[best] = -1 - ((lefts[best] as number) - milli);
  }
  for (let k = 0; k < n; k++) if ((lefts[k] as number) < 0) lefts[k] = -1 - (lefts[k] as number);
}

function parseMix(raw: unknown): MixEntry[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('plugin "fgd": targetMix must be a non-empty list of {cpuMilli, milli, cards, chips, weight}');
  return raw.map((e: unknown, i) => {
    const o = e as Partial<MixEntry> | null;
    const ok = o !== null && typeof o === 'object' && [o.cpuMilli, o.milli, o.cards, o.weight].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) && (o.chips === null || o.chips === undefined || Array.isArray(o.chips));
    if (!ok) throw invalid(`plugin "fgd": targetMix[${i}] must have numeric cpuMilli, milli, cards, weight (>= 0) and chips null or a list`);
    return { cpuMilli: o.cpuMilli as number, milli: o.milli as number, cards: o.cards as number, chips: o.chips ?? null, weight: o.weight as number };
  });
}

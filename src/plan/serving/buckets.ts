import { invalid } from '../../lib/errors.js';
import type { TrafficBucket } from './types.js';

/** One request of a trace: when it arrived and how long it was. */
export interface TraceRequest {
  arrivedAtSec: number;
  inputTokens: number;
  outputTokens: number;
  /** The conversation the request belongs to, when the trace says (multi-turn traffic). */
  sessionId?: string;
}

/** Bucket edges in tokens, doubling (Mélange buckets request sizes on a log scale). */
export const INPUT_EDGES = [0, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, Infinity] as const;
export const OUTPUT_EDGES = [0, 32, 64, 128, 256, 512, 1024, 2048, Infinity] as const;

/**
 * Splits a trace into request-size buckets; each bucket's rate is its count over the trace's
 * duration, multiplied by `rateScale` (to plan for more or less traffic than recorded).
 */
export function bucketsFromTrace(trace: readonly TraceRequest[], rateScale = 1): TrafficBucket[] {
  if (trace.length < 2) throw invalid('The traffic trace needs at least two requests to measure a rate.');
  let first = Infinity;
  let last = -Infinity;
  for (const r of trace) {
    first = Math.min(first, r.arrivedAtSec);
    last = Math.max(last, r.arrivedAtSec);
  }
  const durationSec = last - first;
  if (!(durationSec > 0)) throw invalid('The traffic trace spans no time (every request arrives at once).');
  const groups = new Map<string, SizeCell>();
  for (const r of trace) addToCells(groups, r.inputTokens, r.outputTokens, 1);
  return bucketsFromCells([...groups.values()], durationSec / rateScale);
}

/** Requests of one size bucket (input edge `i`, output edge `o`): how many and their token sums. */
export interface SizeCell {
  i: number;
  o: number;
  n: number;
  inSum: number;
  outSum: number;
}

/** Adds counted cells (from a meter or the store) into `cells`, cell by cell. */
export function mergeCells(cells: Map<string, SizeCell>, add: Iterable<SizeCell>): Map<string, SizeCell> {
  for (const c of add) {
    const k = `${c.i}/${c.o}`;
    const into = cells.get(k) ?? { i: c.i, o: c.o, n: 0, inSum: 0, outSum: 0 };
    into.n += c.n;
    into.inSum += c.inSum;
    into.outSum += c.outSum;
    cells.set(k, into);
  }
  return cells;
}

/** Counts `n` requests of these lengths into their size cell (keyed `i/o`). */
export function addToCells(cells: Map<string, SizeCell>, inputTokens: number, outputTokens: number, n: number): void {
  const i = edgeIndex(INPUT_EDGES, inputTokens);
  const o = edgeIndex(OUTPUT_EDGES, outputTokens);
  const k = `${i}/${o}`;
  const g = cells.get(k) ?? { i, o, n: 0, inSum: 0, outSum: 0 };
  g.n += n;
  g.inSum += inputTokens * n;
  g.outSum += outputTokens * n;
  cells.set(k, g);
}

/** Planner buckets from size cells counted over `durationSec`: each cell's mean lengths and its rate. */
export function bucketsFromCells(cells: readonly SizeCell[], durationSec: number): TrafficBucket[] {
  if (!(durationSec > 0)) throw invalid('The traffic spans no time.');
  return [...cells]
    .filter((g) => g.n > 0)
    .sort((a, b) => a.i - b.i || a.o - b.o)
    .map((g) => ({
      inputTokens: Math.max(1, Math.round(g.inSum / g.n)),
      outputTokens: Math.max(1, Math.round(g.outSum / g.n)),
      requestsPerSec: g.n / durationSec,
      label: `in ${range(INPUT_EDGES, g.i)}, out ${range(OUTPUT_EDGES, g.o)}`,
    }));
}

/** Traffic given as a rate and a length mix: `[{inputTokens, outputTokens, weight}]`. */
export function bucketsFromMix(requestsPerSec: number, mix: readonly { inputTokens: number; outputTokens: number; weight: number }[]): TrafficBucket[] {
  if (!(requestsPerSec > 0) || !Number.isFinite(requestsPerSec)) throw invalid(`The request rate must be a positive number, got ${requestsPerSec}.`);
  const total = mix.reduce((a, m) => a + m.weight, 0);
  if (mix.length === 0 || !(total > 0)) throw invalid('The length mix needs at least one entry with a positive weight.');
  return mix.map((m) => ({ inputTokens: m.inputTokens, outputTokens: m.outputTokens, requestsPerSec: (requestsPerSec * m.weight) / total, label: `in ${m.inputTokens}, out ${m.outputTokens}` }));
}

function edgeIndex(edges: readonly number[], v: number): number {
  for (let k = 1; k < edges.length; k++) if (v < (edges[k] as number)) return k - 1;
  return edges.length - 2;
}

function range(edges: readonly number[], k: number): string {
  const hi = edges[k + 1] as number;
  return hi === Infinity ? `${edges[k]}+` : `${edges[k]}-${hi}`;
}

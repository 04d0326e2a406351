import type { SchedJob } from '../types.js';
import { QueueBook } from './queue-book.js';

/** How a queue's share is measured. */
export const ShareBasis = {
  /** Classic DRF over card types (cards / the fleet's cards of that type); ties go by the H20-eq share. */
  dominant: 'dominant',
  /** One resource, H20-equivalent cards: a queue on strong cards counts as large. */
  h20eq: 'h20eq',
} as const;
export type ShareBasis = (typeof ShareBasis)[keyof typeof ShareBasis];

/**
 * Hierarchical Dominant Resource Fairness by progressive filling. With the `dominant` basis the
 * resources are the chip types (each a share of that type's cards in the fleet) and the dominant share
 * is the largest; the H20-eq share (H20-eq cards used / the fleet's) breaks ties, so of two queues each
 * holding half of one type, the one holding more compute goes later. (The H20-eq share is a weighted
 * mean of the per-type shares, so it can never be the dominant one itself.) With the `h20eq` basis the
 * share is the H20-eq share alone. Shares are divided by the queue's weight and, when `historyWeight`
 * > 0, blended with its `pastShare` first.
 *
 * Starting from the running work, repeatedly: walk from the top choosing, among the children that still
 * have queued jobs, the one with the highest `priority`, then the lowest share (ties: configuration
 * order); at the leaf take its next job (highest job priority, then earliest submission, then id), give
 * it the next rank and add its demand to the leaf and every ancestor. A job whose chip is not fixed yet
 * is spread over the chips it accepts in proportion to their fleet capacity. Jobs without a queue go last.
 *
 * The order is computed once per call, as if every job ran: a job that then waits does not give its
 * queue's position back within the call (the next call starts from the real usage again).
 */
export function drfOrder(book: QueueBook, queue: readonly SchedJob[], historyWeight: number, basis: ShareBasis = ShareBasis.dominant): Map<SchedJob, number> {
  const tree = book.tree;
  const nodes = tree.nodes;
  const C = book.chips;
  const H = book.h20eqRes;
  const perLeaf = new Map<number, SchedJob[]>();
  const orphans: SchedJob[] = [];
  for (const job of queue) {
    const leaf = book.leafOf(job);
    if (typeof leaf === 'string') orphans.push(job);
    else {
      const list = perLeaf.get(leaf);
      if (list) list.push(job);
      else perLeaf.set(leaf, [job]);
    }
  }
  // Copied after the leaves are resolved: without configured queues, resolving creates them.
  const usage = tree.usage.map((row) => row.slice());
  const byPriority = (a: SchedJob, b: SchedJob): number => b.priority - a.priority || a.submitTimeSec - b.submitTimeSec || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const remaining = new Int32Array(nodes.length);
  const cursor = new Int32Array(nodes.length);
  for (const [leaf, list] of perLeaf) {
    list.sort(byPriority);
    for (let x = leaf; x >= 0; x = (nodes[x] as { parent: number }).parent) remaining[x] = (remaining[x] as number) + list.length;
  }
  // Flat copies of what the hot loop reads (100,000 picks of a few levels each).
  const N = nodes.length;
  const parent = Int32Array.from(nodes, (n) => n.parent);
  const prio = Float64Array.from(nodes, (n) => n.priority);
  const weight = Float64Array.from(nodes, (n) => n.weight);
  const past = Float64Array.from(nodes, (n) => historyWeight * n.pastShare);
  const jobsOf: (SchedJob[] | undefined)[] = new Array<SchedJob[] | undefined>(N);
  for (const [leaf, list] of perLeaf) jobsOf[leaf] = list;
  const invCap = new Float64Array(C);
  for (let r = 0; r < C; r++) invCap[r] = (book.capacity[r] as number) > 0 ? 1 / (book.capacity[r] as number) : 0;
  const capH = book.capacity[H] as number;
  const byH20eq = basis === ShareBasis.h20eq;
  const share = new Float64Array(N);
  const power = new Float64Array(N);
  const refresh = (x: number): void => {
    const row = usage[x] as Float64Array;
    let dom = 0;
    for (let r = 0; r < C; r++) {
      const v = (row[r] as number) * (invCap[r] as number);
      if (v > dom) dom = v;
    }
    const w = weight[x] as number;
    const p = past[x] as number;
    const h = capH > 0 ? (row[H] as number) / capH : 0;
    power[x] = ((1 - historyWeight) * h + p) / w;
    share[x] = byH20eq ? (power[x] as number) : ((1 - historyWeight) * dom + p) / w;
  };
  for (let x = 0; x < N; x++) refresh(x);
  const rank = new Map<SchedJob, number>();
  let next = 0;
  while ((remaining[0] as number) > 0) {
    let x = 0;
    for (;;) {
      const kids = (nodes[x] as { children: number[] }).children;
      if (kids.length === 0) break;
      let best = -1;
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i] as number;
        if ((remaining[k] as number) === 0) continue;
        if (best < 0) {
          best = k;
          continue;
        }
        const pk = prio[k] as number;
        const pb = prio[best] as number;
        if (pk !== pb) {
          if (pk > pb) best = k;
          continue;
        }
        const sk = share[k] as number;
        const sb = share[best] as number;
        if (sk < sb || (sk === sb && (power[k] as number) < (power[best] as number))) best = k;
      }
      x = best;
    }
    const list = jobsOf[x] as SchedJob[];
    const job = list[cursor[x] as number] as SchedJob;
    cursor[x] = (cursor[x] as number) + 1;
    rank.set(job, next++);
    const amount = QueueBook.amountOf(Math.max(0, Math.trunc(job.cards)), job.milliPerCard);
    const spread = spreadOf(book, job);
    const chips = spread.chips;
    const fracs = spread.fractions;
    for (let y = x; y >= 0; y = parent[y] as number) {
      const row = usage[y] as Float64Array;
      for (let i = 0; i < chips.length; i++) row[chips[i] as number] = (row[chips[i] as number] as number) + amount * (fracs[i] as number);
      row[H] = (row[H] as number) + amount * spread.weight;
      remaining[y] = (remaining[y] as number) - 1;
      refresh(y);
    }
  }
  orphans.sort(byPriority);
  for (const job of orphans) rank.set(job, next++);
  return rank;
}

interface Spread {
  /** Chip indices and the fraction of the job's cards expected on each. */
  chips: Int32Array;
  fractions: Float64Array;
  /** H20-eq per card of the job, averaged like the parts. */
  weight: number;
}

const spreadCache = new WeakMap<QueueBook, Map<string, Spread>>();

/** Where a job's cards are expected to go: its chip when fixed, else its accepted chips by fleet capacity. */
function spreadOf(book: QueueBook, job: SchedJob): Spread {
  const c = job.chips;
  const key = c.kind === 'pinned' ? c.chip : c.kind === 'any-of' ? c.chips.join(',') : c.kind === 'any-stack' ? `stack:${c.stacks.join(',')}` : '*';
  let cache = spreadCache.get(book);
  if (!cache) spreadCache.set(book, (cache = new Map()));
  const known = cache.get(key);
  if (known) return known;
  // any-stack needs the catalog to resolve; spread it like any.
  const accepted = c.kind === 'pinned' ? [c.chip] : c.kind === 'any-of' ? c.chips : null;
  let total = 0;
  const chosen: number[] = [];
  for (let i = 0; i < book.chips; i++) {
    if (accepted !== null && !accepted.includes(book.state.chips[i] as string)) continue;
    chosen.push(i);
    total += book.capacity[i] as number;
  }
  const spread: Spread = { chips: Int32Array.from(chosen), fractions: new Float64Array(chosen.length), weight: 0 };
  chosen.forEach((i, k) => {
    const f = total > 0 ? (book.capacity[i] as number) / total : 1 / chosen.length;
    spread.fractions[k] = f;
    spread.weight += f * (book.chipWeight[i] as number);
  });
  if (chosen.length === 0) spread.weight = 1;
  cache.set(key, spread);
  return spread;
}

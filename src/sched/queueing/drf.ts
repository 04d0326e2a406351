import type { SchedJob } from '../types.js';
import { QueueBook } from './queue-book.js';

/**
 * Hierarchical Dominant Resource Fairness by progressive filling. The resources are each chip type
 * (cards / the fleet's cards of that chip) and H20-equivalent cards over all chips (so a tenant on a
 * few strong cards is not counted as small); a queue's dominant share is the largest of these, divided
 * by its weight (and blended with its `pastShare` when `historyWeight` > 0). Starting from the running
 * work, repeatedly: walk from the top choosing, among the children that still have queued jobs, the one
 * with the highest `priority`, then the lowest weighted dominant share (ties: configuration order); at
 * the leaf take its next job (highest job priority, then earliest submission, then id), give it the next
 * rank and add its demand to the leaf and every ancestor. A job whose chip is not fixed yet counts only
 * in H20-eq, at the mean weight of the chips it accepts that this fleet has. Jobs without a queue go last.
 *
 * The order is computed once per call, as if every job ran: a job that then waits does not give its
 * queue's position back within the call (the next call starts from the real usage again).
 */
export function drfOrder(book: QueueBook, queue: readonly SchedJob[], historyWeight: number): Map<SchedJob, number> {
  const tree = book.tree;
  const nodes = tree.nodes;
  const C = book.chips;
  const H = book.h20eqRes;
  const usage = tree.usage.map((row) => row.slice());
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
  const byPriority = (a: SchedJob, b: SchedJob): number => b.priority - a.priority || a.submitTimeSec - b.submitTimeSec || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const remaining = new Int32Array(nodes.length);
  const cursor = new Int32Array(nodes.length);
  for (const [leaf, list] of perLeaf) {
    list.sort(byPriority);
    for (let x = leaf; x >= 0; x = (nodes[x] as { parent: number }).parent) remaining[x] = (remaining[x] as number) + list.length;
  }
  const share = new Float64Array(nodes.length);
  const refresh = (x: number): void => {
    const row = usage[x] as Float64Array;
    let dom = 0;
    for (let r = 0; r <= H; r++) {
      const cap = book.capacity[r] as number;
      if (cap > 0) dom = Math.max(dom, (row[r] as number) / cap);
    }
    const n = nodes[x] as { weight: number; pastShare: number };
    share[x] = ((1 - historyWeight) * dom + historyWeight * n.pastShare) / n.weight;
  };
  for (let x = 0; x < nodes.length; x++) refresh(x);
  const rank = new Map<SchedJob, number>();
  let next = 0;
  while ((remaining[0] as number) > 0) {
    let x = 0;
    for (;;) {
      const kids = (nodes[x] as { children: number[] }).children;
      if (kids.length === 0) break;
      let best = -1;
      for (const k of kids) {
        if ((remaining[k] as number) === 0) continue;
        if (best < 0) {
          best = k;
          continue;
        }
        const pk = (nodes[k] as { priority: number }).priority;
        const pb = (nodes[best] as { priority: number }).priority;
        if (pk > pb || (pk === pb && (share[k] as number) < (share[best] as number))) best = k;
      }
      x = best;
    }
    const list = perLeaf.get(x) as SchedJob[];
    const job = list[cursor[x] as number] as SchedJob;
    cursor[x] = (cursor[x] as number) + 1;
    rank.set(job, next++);
    const amount = QueueBook.amountOf(Math.max(0, Math.trunc(job.cards)), job.milliPerCard);
    const chip = fixedChip(book, job);
    const h = amount * (chip >= 0 ? (book.chipWeight[chip] as number) : meanWeight(book, job));
    for (let y = x; y >= 0; y = (nodes[y] as { parent: number }).parent) {
      const row = usage[y] as Float64Array;
      if (chip >= 0 && chip < C) row[chip] = (row[chip] as number) + amount;
      row[H] = (row[H] as number) + h;
      remaining[y] = (remaining[y] as number) - 1;
      refresh(y);
    }
  }
  orphans.sort(byPriority);
  for (const job of orphans) rank.set(job, next++);
  return rank;
}

function fixedChip(book: QueueBook, job: SchedJob): number {
  const c = job.chips;
  const id = c.kind === 'pinned' ? c.chip : c.kind === 'any-of' && c.chips.length === 1 ? (c.chips[0] as string) : null;
  return id === null ? -1 : (book.state.chipIndex.get(id) ?? -1);
}

const meanCache = new WeakMap<QueueBook, Map<string, number>>();

function meanWeight(book: QueueBook, job: SchedJob): number {
  const c = job.chips;
  if (c.kind !== 'any-of') return c.kind === 'any' ? meanOver(book, null) : 1;
  return meanOver(book, c.chips);
}

function meanOver(book: QueueBook, chips: string[] | null): number {
  let cache = meanCache.get(book);
  if (!cache) meanCache.set(book, (cache = new Map()));
  const key = chips === null ? '*' : chips.join(',');
  const known = cache.get(key);
  if (known !== undefined) return known;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < book.chips; i++) {
    if (chips !== null && !chips.includes(book.state.chips[i] as string)) continue;
    sum += book.chipWeight[i] as number;
    n++;
  }
  const w = n > 0 ? sum / n : 1;
  cache.set(key, w);
  return w;
}

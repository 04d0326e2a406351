import type { ClusterState } from './cluster-state.js';

interface NodeClass {
  sig: string;
  chip: number;
  /** Member nodes sorted by rank, so the first is the one a tie-break would pick. */
  members: number[];
}

/**
 * Groups nodes that placement plugins cannot tell apart (same `ClusterState.signature`), so that a
 * cycle filters and scores one representative per group (its lowest-rank member) instead of every node:
 * on a fleet of identical servers that turns 1747 evaluations into a few dozen, with the same result,
 * because equal nodes score equally and the tie-break takes the lowest rank anyway.
 * Kept in step with the state through `ClusterState.takeDirty()`.
 */
export class NodeClasses {
  private classes: NodeClass[] = [];
  private readonly bySig = new Map<string, number>();
  private readonly classOf: Int32Array;
  /** Class ids per chip, append-only between compactions. */
  private byChip: number[][];
  /** Classes that are empty now; their ids stay reusable for the same signature until compaction. */
  private empty = 0;

  constructor(private readonly state: ClusterState) {
    this.classOf = new Int32Array(state.nodeCount).fill(-1);
    this.byChip = state.chips.map(() => []);
    const order = Array.from({ length: state.nodeCount }, (_, i) => i).sort((a, b) => (state.rank[a] as number) - (state.rank[b] as number));
    for (const node of order) this.add(node, state.signature(node), false);
    state.takeDirty();
  }

  /** Moves changed nodes to their new classes; call before each cycle. */
  refresh(): void {
    for (const node of this.state.takeDirty()) {
      const sig = this.state.signature(node);
      const current = this.classes[this.classOf[node] as number];
      if (current && current.sig === sig) continue;
      if (current) {
        const i = this.indexOf(current.members, node);
        current.members.splice(i, 1);
        if (current.members.length === 0) this.empty++;
      }
      this.add(node, sig, true);
    }
    if (this.empty > 64 && this.empty > this.bySig.size - this.empty) this.compact();
  }

  /** Class ids of one chip (some may be empty). */
  ofChip(chip: number): readonly number[] {
    return this.byChip[chip] ?? [];
  }

  members(cls: number): readonly number[] {
    return (this.classes[cls] as NodeClass).members;
  }

  private add(node: number, sig: string, sorted: boolean): void {
    let id = this.bySig.get(sig);
    let fresh = false;
    if (id === undefined) {
      fresh = true;
      id = this.classes.length;
      const chip = this.state.chipOf[node] as number;
      this.classes.push({ sig, chip, members: [] });
      this.bySig.set(sig, id);
      (this.byChip[chip] as number[]).push(id);
    }
    const members = (this.classes[id] as NodeClass).members;
    // An existing class with no members was counted as empty; it is live again. A fresh class was
    // never counted (counting it drove the tally negative, compaction never ran, and scans crawled
    // through millions of dead entries on long simulations).
    if (members.length === 0 && sorted && !fresh) this.empty--;
    if (sorted) members.splice(this.insertAt(members, node), 0, node);
    else members.push(node);
    this.classOf[node] = id;
  }

  private insertAt(members: number[], node: number): number {
    const r = this.state.rank[node] as number;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.state.rank[members[mid] as number] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(members: number[], node: number): number {
    const i = this.insertAt(members, node);
    if (members[i] === node) return i;
    return members.indexOf(node);
  }

  /**
   * Forgets empty classes (objects, signatures and list entries) and renumbers the live ones, keeping
   * each chip's scan order, so memory follows the live classes rather than every state ever seen.
   */
  private compact(): void {
    const live: NodeClass[] = [];
    this.bySig.clear();
    this.byChip = this.byChip.map((ids) => {
      const kept: number[] = [];
      for (const id of ids) {
        const cls = this.classes[id] as NodeClass;
        if (cls.members.length === 0) continue;
        const next = live.length;
        live.push(cls);
        kept.push(next);
        this.bySig.set(cls.sig, next);
        for (const m of cls.members) this.classOf[m] = next;
      }
      return kept;
    });
    this.classes = live;
    this.empty = 0;
  }

  /** Live classes now. */
  get liveCount(): number {
    return this.bySig.size - this.empty;
  }

  /** Entries a full scan walks (live and not yet compacted empty classes), for tests and benches. */
  get scanLength(): number {
    let n = 0;
    for (const ids of this.byChip) n += ids.length;
    return n;
  }
}

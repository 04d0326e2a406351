import type { Quota } from './queue-config.js';

const EPS = 1e-9;

/** A node of the queue tree. Index 0 is a virtual super-root above every configured root. */
export interface TreeNode {
  name: string;
  parent: number;
  children: number[];
  tenant: string;
  weight: number;
  priority: number;
  pastShare: number;
  /** The configured root (child of the super-root) this node belongs to; 0 for the super-root. */
  root: number;
}

/**
 * Hierarchical quota accounting, Kueue-cohort style, per resource (chip ids, `h20eq`, `*`).
 *
 * Each node has a nominal quota N, a borrowing limit B and a lending limit L. A leaf's jobs use U;
 * what a leaf needs from its siblings is `need = max(0, U - N)` and what it offers them is
 * `spare = min(L, max(0, N - U))`. An inner node nets its children: `net = sum(need) - sum(spare) -
 * extra` (extra = its own nominal beyond its children's, a pool shared by them), so
 * `need = max(0, net)` and `spare = min(L, max(0, -net))`. Admission of `d` more on a leaf is allowed
 * when the leaf stays within its nominal (guaranteed: if others borrowed it, preemption reclaims it),
 * or else when, after the change, no node on the path exceeds its borrowing limit and the root needs
 * nothing from above (a root has no one to borrow from). A change that does not make a node's
 * standing worse never fails on it, so a configuration tightened under running work keeps working.
 */
export class QuotaTree {
  readonly nodes: TreeNode[] = [{ name: '(all)', parent: -1, children: [], tenant: '', weight: 1, priority: 0, pastShare: 0, root: 0 }];
  readonly usage: Float64Array[] = [];
  private readonly nominal: Float64Array[] = [];
  private readonly borrow: Float64Array[] = [];
  private readonly lend: Float64Array[] = [];
  private readonly extra: Float64Array[] = [];
  private readonly need: Float64Array[] = [];
  private readonly spare: Float64Array[] = [];
  private readonly sumNeed: Float64Array[] = [];
  private readonly sumSpare: Float64Array[] = [];
  /** Per node: 1 where its own configuration names the resource. */
  private readonly stated: Uint8Array[] = [];
  /** Per configured root: 1 where some queue of that tree names the resource. */
  private readonly governed = new Map<number, Uint8Array>();

  constructor(readonly resources: readonly string[]) {
    this.allocRow();
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Adds a node under `parent` (0 = top level) with its quotas by resource name; returns its index. */
  addNode(node: Omit<TreeNode, 'children' | 'root' | 'parent'>, parent: number, quota: ReadonlyMap<string, Quota> = new Map()): number {
    const i = this.nodes.length;
    const root = parent === 0 ? i : (this.nodes[parent] as TreeNode).root;
    this.nodes.push({ ...node, parent, children: [], root });
    (this.nodes[parent] as TreeNode).children.push(i);
    this.allocRow();
    const R = this.resources.length;
    const b = this.borrow[i] as Float64Array;
    b.fill(parent === 0 ? 0 : Infinity);
    (this.lend[i] as Float64Array).fill(Infinity);
    let gov = this.governed.get(root);
    if (!gov) this.governed.set(root, (gov = new Uint8Array(R)));
    for (let r = 0; r < R; r++) {
      const q = quota.get(this.resources[r] as string);
      if (!q) continue;
      gov[r] = 1;
      (this.stated[i] as Uint8Array)[r] = 1;
      (this.nominal[i] as Float64Array)[r] = q.nominal;
      b[r] = q.borrowingLimit;
      (this.lend[i] as Float64Array)[r] = q.lendingLimit;
    }
    return i;
  }

  /**
   * After all nodes are added: an inner node's nominal is its stated one or the sum of its children's;
   * the difference is its own shared pool. Returns the nodes whose children promise more than they have.
   */
  finish(): { node: string; resource: string; children: number; nominal: number }[] {
    const over: { node: string; resource: string; children: number; nominal: number }[] = [];
    const R = this.resources.length;
    // Children always have larger indices than their parents, so one backward pass sees children first.
    for (let i = this.nodes.length - 1; i >= 1; i--) {
      const n = this.nodes[i] as TreeNode;
      if (n.children.length === 0) {
        for (let r = 0; r < R; r++) this.refreshLeafResource(i, r);
        continue;
      }
      const nom = this.nominal[i] as Float64Array;
      const stated = this.stated[i] as Uint8Array;
      for (let r = 0; r < R; r++) {
        let sum = 0;
        let sNeed = 0;
        let sSpare = 0;
        for (const c of n.children) {
          sum += (this.nominal[c] as Float64Array)[r] as number;
          sNeed += (this.need[c] as Float64Array)[r] as number;
          sSpare += (this.spare[c] as Float64Array)[r] as number;
        }
        if (!stated[r]) nom[r] = sum;
        else if ((nom[r] as number) < sum - EPS) over.push({ node: n.name, resource: this.resources[r] as string, children: sum, nominal: nom[r] as number });
        else (this.extra[i] as Float64Array)[r] = (nom[r] as number) - sum;
        (this.sumNeed[i] as Float64Array)[r] = sNeed;
        (this.sumSpare[i] as Float64Array)[r] = sSpare;
        this.refreshInner(i, r);
      }
    }
    return over;
  }

  isGoverned(node: number, r: number): boolean {
    const gov = this.governed.get((this.nodes[node] as TreeNode).root);
    return gov !== undefined && gov[r] === 1;
  }

  nominalOf(node: number, r: number): number {
    return (this.nominal[node] as Float64Array)[r] as number;
  }

  borrowingLimitOf(node: number, r: number): number {
    return (this.borrow[node] as Float64Array)[r] as number;
  }

  usageOf(node: number, r: number): number {
    return (this.usage[node] as Float64Array)[r] as number;
  }

  /** Adds (or with a negative amount removes) usage on a leaf and its ancestors, keeping the nets in step. */
  add(leaf: number, r: number, amount: number): void {
    if (amount === 0) return;
    for (let x = leaf; x >= 0; x = (this.nodes[x] as TreeNode).parent) (this.usage[x] as Float64Array)[r] = ((this.usage[x] as Float64Array)[r] as number) + amount;
    let x = leaf;
    let oldNeed = (this.need[x] as Float64Array)[r] as number;
    let oldSpare = (this.spare[x] as Float64Array)[r] as number;
    this.refreshLeafResource(x, r);
    for (;;) {
      const p = (this.nodes[x] as TreeNode).parent;
      if (p <= 0) return;
      const dNeed = ((this.need[x] as Float64Array)[r] as number) - oldNeed;
      const dSpare = ((this.spare[x] as Float64Array)[r] as number) - oldSpare;
      if (dNeed === 0 && dSpare === 0) return;
      (this.sumNeed[p] as Float64Array)[r] = ((this.sumNeed[p] as Float64Array)[r] as number) + dNeed;
      (this.sumSpare[p] as Float64Array)[r] = ((this.sumSpare[p] as Float64Array)[r] as number) + dSpare;
      oldNeed = (this.need[p] as Float64Array)[r] as number;
      oldSpare = (this.spare[p] as Float64Array)[r] as number;
      this.refreshInner(p, r);
      x = p;
    }
  }

  /**
   * Whether `amount` more of resource `r` on `leaf` is admissible; null when it is, else where it
   * fails: the node, and whether its borrowing limit or the root's lack of lendable quota stopped it.
   */
  check(leaf: number, r: number, amount: number): null | { at: number; kind: 'borrowing-limit' | 'cohort-exhausted' } {
    if (amount <= 0 || !this.isGoverned(leaf, r)) return null;
    const u = ((this.usage[leaf] as Float64Array)[r] as number) + amount;
    const n = (this.nominal[leaf] as Float64Array)[r] as number;
    if (u <= n + EPS) return null;
    let need = u - n;
    let spare = 0;
    let x = leaf;
    const oldLeafNeed = (this.need[leaf] as Float64Array)[r] as number;
    const limit = (this.borrow[leaf] as Float64Array)[r] as number;
    if (need > limit + EPS && need > oldLeafNeed + EPS) return { at: leaf, kind: 'borrowing-limit' };
    for (;;) {
      const p = (this.nodes[x] as TreeNode).parent;
      const oldNeed = (this.need[x] as Float64Array)[r] as number;
      const oldSpare = (this.spare[x] as Float64Array)[r] as number;
      if (p <= 0) {
        return need > EPS && need > oldNeed + EPS ? { at: x, kind: 'cohort-exhausted' } : null;
      }
      if (need === oldNeed && spare === oldSpare) return null;
      const net = ((this.sumNeed[p] as Float64Array)[r] as number) - oldNeed + need - (((this.sumSpare[p] as Float64Array)[r] as number) - oldSpare + spare) - ((this.extra[p] as Float64Array)[r] as number);
      const pOldNeed = (this.need[p] as Float64Array)[r] as number;
      need = Math.max(0, net);
      spare = Math.min((this.lend[p] as Float64Array)[r] as number, Math.max(0, -net));
      const pLimit = (this.borrow[p] as Float64Array)[r] as number;
      if ((this.nodes[p] as TreeNode).parent > 0 && need > pLimit + EPS && need > pOldNeed + EPS) return { at: p, kind: 'borrowing-limit' };
      x = p;
    }
  }

  /**
   * How much more of `r` the leaf could take now (to a thousandth of a card), for reasons: the largest
   * amount `check` admits, by bisection (admission is monotone in the amount).
   */
  headroom(leaf: number, r: number): number {
    if (!this.isGoverned(leaf, r)) return Infinity;
    if (this.check(leaf, r, 1e-3) !== null) return 0;
    let lo = 1e-3;
    let hi = 1;
    while (this.check(leaf, r, hi) === null) {
      lo = hi;
      hi *= 2;
      if (hi > 1e12) return Infinity;
    }
    while (hi - lo > 1e-3) {
      const mid = (lo + hi) / 2;
      if (this.check(leaf, r, mid) === null) lo = mid;
      else hi = mid;
    }
    return Math.floor(lo * 1000 + 1e-6) / 1000;
  }

  private refreshLeafResource(i: number, r: number): void {
    const u = (this.usage[i] as Float64Array)[r] as number;
    const n = (this.nominal[i] as Float64Array)[r] as number;
    (this.need[i] as Float64Array)[r] = Math.max(0, u - n);
    (this.spare[i] as Float64Array)[r] = Math.min((this.lend[i] as Float64Array)[r] as number, Math.max(0, n - u));
  }

  private refreshInner(p: number, r: number): void {
    const net = ((this.sumNeed[p] as Float64Array)[r] as number) - ((this.sumSpare[p] as Float64Array)[r] as number) - ((this.extra[p] as Float64Array)[r] as number);
    (this.need[p] as Float64Array)[r] = Math.max(0, net);
    (this.spare[p] as Float64Array)[r] = Math.min((this.lend[p] as Float64Array)[r] as number, Math.max(0, -net));
  }

  private allocRow(): void {
    const R = this.resources.length;
    for (const a of [this.usage, this.nominal, this.borrow, this.lend, this.extra, this.need, this.spare, this.sumNeed, this.sumSpare]) a.push(new Float64Array(R));
    this.stated.push(new Uint8Array(R));
  }
}

import type { Running, SchedJob, SchedNode } from '../types.js';

/** Milli of one whole card. */
export const CARD_MILLI = 1000;

/**
 * The mutable, allocation-free view of the fleet that plugins read: per-node and per-device figures in
 * typed arrays, nodes indexed by chip, and per-chip free totals so that hopeless jobs fail fast.
 * Built once per `schedule()` call (or once per simulation) and changed only through a `Transaction`.
 */
export class ClusterState {
  readonly nodeCount: number;
  readonly nodeIds: string[];
  readonly nodeIndex = new Map<string, number>();
  readonly chips: string[] = [];
  readonly chipIndex = new Map<string, number>();
  readonly racks: string[] = [];
  readonly clusters: string[] = [];
  readonly chipOf: Int32Array;
  readonly rackOf: Int32Array;
  readonly clusterOf: Int32Array;
  /** First device slot of each node in `freeMilli`; the node's devices are `devStart[n] .. devStart[n]+cardsOf[n]-1`. */
  readonly devStart: Int32Array;
  readonly cardsOf: Int32Array;
  readonly linkDomainSize: Int32Array;
  readonly freeMilli: Int32Array;
  /** Per node: devices with a whole card free, and the sum of free milli. Kept in step by `apply`. */
  readonly freeWhole: Int32Array;
  readonly freeMilliSum: Int32Array;
  /** Free CPU and memory; Infinity where the snapshot did not say (no constraint). */
  readonly cpuFree: Float64Array;
  readonly memFree: Float64Array;
  readonly schedulable: Uint8Array;
  /** Tie-break rank: on equal scores the smallest rank wins. Defaults to the snapshot order. */
  readonly rank: Float64Array;
  /** Bumped on every change to a node, so plugins can memoize per-node results. */
  readonly version: Uint32Array;
  /** Node indices per chip index. */
  readonly nodesByChip: Int32Array[];
  readonly chipFreeWhole: Float64Array;
  readonly chipCards: Float64Array;
  readonly maxCardsPerNodeByChip: Int32Array;
  /**
   * Pods per node by "affinity tag" (share-gpu vs k-gpu), as GPU clustering needs. Key: 0 for a
   * fractional job, k for a k-card whole-card job.
   */
  readonly tagCounts: Map<number, number>[];
  /** Nodes changed by `apply` since the engine last looked (each listed once); see `takeDirty`. */
  private readonly dirtyFlag: Uint8Array;
  private dirty: number[] = [];

  constructor(nodes: readonly SchedNode[], running: readonly Running[] = []) {
    const n = nodes.length;
    this.nodeCount = n;
    this.nodeIds = new Array<string>(n);
    this.chipOf = new Int32Array(n);
    this.rackOf = new Int32Array(n);
    this.clusterOf = new Int32Array(n);
    this.devStart = new Int32Array(n);
    this.cardsOf = new Int32Array(n);
    this.linkDomainSize = new Int32Array(n);
    this.freeWhole = new Int32Array(n);
    this.freeMilliSum = new Int32Array(n);
    this.cpuFree = new Float64Array(n);
    this.memFree = new Float64Array(n);
    this.schedulable = new Uint8Array(n);
    this.rank = new Float64Array(n);
    this.version = new Uint32Array(n);
    this.tagCounts = new Array<Map<number, number>>(n);
    this.dirtyFlag = new Uint8Array(n);
    const rackIdx = new Map<string, number>();
    const clusterIdx = new Map<string, number>();
    let devices = 0;
    for (const node of nodes) devices += node.cards;
    this.freeMilli = new Int32Array(devices);
    let d = 0;
    const byChip: number[][] = [];
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as SchedNode;
      this.nodeIds[i] = node.id;
      this.nodeIndex.set(node.id, i);
      let c = this.chipIndex.get(node.chip);
      if (c === undefined) {
        c = this.chips.length;
        this.chips.push(node.chip);
        this.chipIndex.set(node.chip, c);
        byChip.push([]);
      }
      this.chipOf[i] = c;
      (byChip[c] as number[]).push(i);
      const rackKey = `${node.cluster}/${node.rack}`;
      let r = rackIdx.get(rackKey);
      if (r === undefined) {
        r = this.racks.length;
        this.racks.push(rackKey);
        rackIdx.set(rackKey, r);
      }
      this.rackOf[i] = r;
      let cl = clusterIdx.get(node.cluster);
      if (cl === undefined) {
        cl = this.clusters.length;
        this.clusters.push(node.cluster);
        clusterIdx.set(node.cluster, cl);
      }
      this.clusterOf[i] = cl;
      this.devStart[i] = d;
      this.cardsOf[i] = node.cards;
      this.linkDomainSize[i] = node.linkDomainSize > 0 ? node.linkDomainSize : node.cards;
      let whole = 0;
      let sum = 0;
      for (let k = 0; k < node.cards; k++) {
        const free = Math.max(0, Math.min(CARD_MILLI, Math.trunc(node.freeMilli[k] ?? CARD_MILLI)));
        this.freeMilli[d + k] = free;
        if (free === CARD_MILLI) whole++;
        sum += free;
      }
      d += node.cards;
      this.freeWhole[i] = whole;
      this.freeMilliSum[i] = sum;
      this.cpuFree[i] = node.cpuMilliFree ?? Infinity;
      this.memFree[i] = node.memoryMiBFree ?? Infinity;
      this.schedulable[i] = node.schedulable ? 1 : 0;
      this.rank[i] = i;
      this.tagCounts[i] = new Map();
    }
    this.nodesByChip = byChip.map((list) => Int32Array.from(list));
    this.chipFreeWhole = new Float64Array(this.chips.length);
    this.chipCards = new Float64Array(this.chips.length);
    this.maxCardsPerNodeByChip = new Int32Array(this.chips.length);
    for (let i = 0; i < n; i++) {
      const c = this.chipOf[i] as number;
      this.chipCards[c] = (this.chipCards[c] as number) + (this.cardsOf[i] as number);
      if (this.schedulable[i]) this.chipFreeWhole[c] = (this.chipFreeWhole[c] as number) + (this.freeWhole[i] as number);
      if ((this.cardsOf[i] as number) > (this.maxCardsPerNodeByChip[c] as number)) this.maxCardsPerNodeByChip[c] = this.cardsOf[i] as number;
    }
    for (const run of running) {
      const tag = affinityTag(run.placements.reduce((s, p) => s + p.devices.length, 0), run.placements[0]?.milliPerDevice ?? CARD_MILLI);
      for (const p of run.placements) {
        const node = this.nodeIndex.get(p.nodeId);
        if (node !== undefined) bump(this.tagCounts[node] as Map<number, number>, tag, 1);
      }
    }
  }

  /** Sets the tie-break rank of every node (e.g. FGD's seeded node-name permutation). */
  setRanks(ranks: ArrayLike<number>): void {
    for (let i = 0; i < this.nodeCount; i++) this.rank[i] = ranks[i] ?? i;
  }

  /**
   * Takes (sign=+1) or returns (sign=-1) `milli` on each listed device plus CPU and memory, keeping every
   * derived counter in step. Only `Transaction` calls this, so a gang can be rolled back.
   */
  apply(node: number, devices: ArrayLike<number>, milli: number, cpuMilli: number, memoryMiB: number, tag: number, sign: 1 | -1): void {
    const start = this.devStart[node] as number;
    const chip = this.chipOf[node] as number;
    let whole = this.freeWhole[node] as number;
    let sum = this.freeMilliSum[node] as number;
    for (let k = 0; k < devices.length; k++) {
      const slot = start + (devices[k] as number);
      const before = this.freeMilli[slot] as number;
      const after = before - sign * milli;
      this.freeMilli[slot] = after;
      if (before === CARD_MILLI) whole--;
      if (after === CARD_MILLI) whole++;
      sum += after - before;
    }
    if (this.schedulable[node]) this.chipFreeWhole[chip] = (this.chipFreeWhole[chip] as number) + whole - (this.freeWhole[node] as number);
    this.freeWhole[node] = whole;
    this.freeMilliSum[node] = sum;
    this.cpuFree[node] = (this.cpuFree[node] as number) - sign * cpuMilli;
    this.memFree[node] = (this.memFree[node] as number) - sign * memoryMiB;
    if (devices.length > 0) bump(this.tagCounts[node] as Map<number, number>, tag, sign);
    this.version[node] = ((this.version[node] as number) + 1) >>> 0;
    if (!this.dirtyFlag[node]) {
      this.dirtyFlag[node] = 1;
      this.dirty.push(node);
    }
  }

  /** The nodes changed since the last call, and forgets them. */
  takeDirty(): readonly number[] {
    const out = this.dirty;
    // Most cycles change nothing between calls: no new array for them.
    if (out.length === 0) return out;
    this.dirty = [];
    for (const node of out) this.dirtyFlag[node] = 0;
    return out;
  }

  /**
   * A key equal for nodes that no placement plugin can tell apart: chip, schedulability, CPU, memory,
   * free milli per device (in device order, since link domains and device choice depend on it) and
   * job tags. Rack, cluster and rank are left out: they matter only to gangs and tie-breaks.
   */
  signature(node: number): string {
    const start = this.devStart[node] as number;
    let key = `${this.chipOf[node]}|${this.schedulable[node]}|${this.cpuFree[node]}|${this.memFree[node]}|`;
    for (let s = start; s < start + (this.cardsOf[node] as number); s++) key += `${this.freeMilli[s]},`;
    const tags = this.tagCounts[node] as Map<number, number>;
    if (tags.size === 0) return key;
    // `|tag,count;tag,count` in tag order, built without the entry arrays a sort would allocate.
    let last = -Infinity;
    for (let i = 0; i < tags.size; i++) {
      let next = Infinity;
      for (const t of tags.keys()) if (t > last && t < next) next = t;
      key += `${i === 0 ? '|' : ';'}${next},${tags.get(next) as number}`;
      last = next;
    }
    return key;
  }

  /** Free milli of device `k` of `node`. */
  free(node: number, k: number): number {
    return this.freeMilli[(this.devStart[node] as number) + k] as number;
  }

  /** How many devices of `node` have at least `milli` free. */
  devicesWithAtLeast(node: number, milli: number): number {
    if (milli >= CARD_MILLI) return this.freeWhole[node] as number;
    const start = this.devStart[node] as number;
    const end = start + (this.cardsOf[node] as number);
    let count = 0;
    for (let s = start; s < end; s++) if ((this.freeMilli[s] as number) >= milli) count++;
    return count;
  }
}

/** GPU-clustering's pod tag: 0 for a fractional job, k for a k-card whole-card job. */
export function affinityTag(cards: number, milliPerCard: number): number {
  return milliPerCard < CARD_MILLI ? 0 : cards;
}

export function jobTag(job: SchedJob): number {
  return affinityTag(job.cards, job.milliPerCard);
}

function bump(map: Map<number, number>, key: number, delta: number): void {
  const v = (map.get(key) ?? 0) + delta;
  if (v <= 0) map.delete(key);
  else map.set(key, v);
}

import { ClusterState, Engine, resolveProfile, type ProfileSpec, type SchedJob, type SchedNode } from '../../sched/index.js';
import { typicalMix, type MixEntry } from '../../sched/plugins/fgd-mix.js';
import type { OpenbNode } from '../openb/nodes.js';
import { totalMilli, type OpenbPod } from '../openb/pods.js';
import { binAllocation } from './binning.js';
import { experimentRng } from './experiment-rng.js';
import { experimentProfile, type FgdPolicy } from './policies.js';
import { tuneWorkload } from './workload.js';

export interface FgdRunOptions {
  nodes: readonly OpenbNode[];
  pods: readonly OpenbPod[];
  policy: FgdPolicy;
  seed: number;
  /** A profile to use instead of the policy's built-in one (its fgd plugin gets the experiment's mix). */
  profile?: ProfileSpec;
  /** Target demand as a multiple of cluster GPU capacity (1.3 in the paper). */
  tuneRatio?: number;
  /** Go's cooked table: replay the published runs with Go's math/rand (see go-rand.ts). */
  goCooked?: readonly bigint[];
  /** Unused Int63 draws between tuning and the node permutation in the original (fgd-method.md §4.6). */
  hiddenDraws?: number;
}

export interface FgdRunResult {
  policy: FgdPolicy;
  seed: number;
  pods: number;
  failed: number;
  /** Allocation % at each arrived-load % 0..130 (null where no event fell near). */
  alloc: (number | null)[];
  finalAllocPct: number;
}

/** The FGD paper's typical-pod mix, from the original (untuned) pod list. */
export function fgdMix(pods: readonly OpenbPod[]): MixEntry[] {
  return typicalMix(pods.map((p) => ({ cpuMilli: p.cpuMilli, milli: p.milliPerGpu, cards: p.gpus, chips: p.chips, typeKey: p.spec })));
}

/** Nodes sorted by name, as the FGD simulator lists them. */
export function sortedNodes(nodes: readonly OpenbNode[]): OpenbNode[] {
  return [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function toSchedNode(n: OpenbNode): SchedNode {
  return { id: n.name, chip: n.chip, cluster: 'openb', rack: 'openb', linkDomainSize: n.gpus, cards: n.gpus, freeMilli: new Array<number>(n.gpus).fill(1000), cpuMilliFree: n.cpuMilli, memoryMiBFree: n.memoryMiB, schedulable: true };
}

export function toSchedJob(p: OpenbPod): SchedJob {
  return { id: p.name, tenant: 'openb', queue: 'openb', priority: 0, submitTimeSec: 0, cards: p.gpus, milliPerCard: p.milliPerGpu, gang: false, chips: p.chips ? { kind: 'any-of', chips: p.chips } : { kind: 'any' }, cpuMilli: p.cpuMilli, memoryMiB: p.memoryMiB };
}

/**
 * One run of the FGD experiment (fgd-method.md): build the workload from the seed, rank the nodes by a
 * seeded permutation (the tie-break), then place every pod in arrival order through the scheduler
 * engine with the policy's profile; pods that fit nowhere fail and never retry; pods never leave.
 * After each pod, record arrived and allocated GPU milli; bin into the 0..130 columns.
 */
export function runFgdExperiment(opts: FgdRunOptions): FgdRunResult {
  const nodes = sortedNodes(opts.nodes);
  const clusterGpus = nodes.reduce((s, n) => s + n.gpus, 0);
  const mix = fgdMix(opts.pods);
  const rng = experimentRng(opts.seed, opts.goCooked);
  // The original logs rand.Int() right after seeding: one draw, unused.
  rng.discard(1);
  const workload = tuneWorkload(opts.pods, clusterGpus * 1000, opts.tuneRatio ?? 1.3, rng);
  rng.discard(opts.hiddenDraws ?? 10);
  const perm = rng.perm(nodes.length);

  const state = new ClusterState(nodes.map(toSchedNode));
  state.setRanks(perm);
  const profile = resolveProfile(experimentProfile(opts.profile ?? opts.policy, mix));
  const engine = new Engine(state, profile, { rng, snapshot: { nodes: [], running: [], nowSec: 0 } });
  engine.prepare([]);

  const count = workload.pods.length;
  const arrived = new Float64Array(count);
  const used = new Float64Array(count);
  let arrivedMilli = 0;
  let usedMilli = 0;
  let failed = 0;
  for (let e = 0; e < count; e++) {
    const pod = workload.pods[e] as OpenbPod;
    arrivedMilli += totalMilli(pod);
    const outcome = engine.scheduleOne(toSchedJob(pod));
    if (outcome.kind === 'bind') usedMilli += totalMilli(pod);
    else failed++;
    arrived[e] = arrivedMilli;
    used[e] = usedMilli;
  }
  return {
    policy: opts.policy,
    seed: opts.seed,
    pods: count,
    failed,
    alloc: binAllocation(arrived, used, count, clusterGpus),
    finalAllocPct: (100 * usedMilli) / (clusterGpus * 1000),
  };
}

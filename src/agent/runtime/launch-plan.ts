import type { ChipSpec } from '../../catalog/index.js';
import { invalid } from '../../lib/errors.js';
import type { DeviceRecord } from '../device-record.js';
import { runEnv, Runtime, type ContainerSpec } from '../run-env.js';
import type { Assignment } from './protocol-client.js';

/**
 * Turns one assignment into what to execute on this node: the program, its arguments and its
 * environment, from the chip's catalog record through run-env.ts (visibility variables, rank
 * variables, container devices and mounts). Checks first that the assignment is one this node can
 * have been given: its chip, its devices.
 *
 * Launch model: one process per node (the job's command, typically `torchrun ...` or a launcher
 * script, starts its per-device workers). So WORLD_SIZE/RANK count nodes, LOCAL_RANK is 0, and the
 * torchrun variables PET_NNODES, PET_NODE_RANK, PET_NPROC_PER_NODE, PET_MASTER_ADDR and
 * PET_MASTER_PORT are set so that a bare `torchrun train.py` joins the right rendezvous.
 */
export interface LaunchInput {
  assignment: Assignment;
  nodeId: string;
  chip: ChipSpec;
  /** This node's devices, as probed (host indices; physical ids where they differ). */
  hostDevices: readonly DeviceRecord[];
  runtime: Runtime;
  /** This node's address for others to reach rank 0 on it (used when this node is rank 0). */
  advertiseAddr: string;
  /** Variables every task inherits from the agent (PATH, HOME, LANG...), secrets removed. */
  baseEnv: Record<string, string>;
}

export interface LaunchPlan {
  program: string;
  args: string[];
  env: Record<string, string>;
  container: ContainerSpec | null;
  notes: string[];
  masterAddr: string;
  masterPort: number;
}

/** Lowest and span of the ports derived for rendezvous when the job names none. */
export const DERIVED_PORT_BASE = 20_000;
export const DERIVED_PORT_SPAN = 10_000;

export function planLaunch(input: LaunchInput): LaunchPlan {
  const a = input.assignment;
  if (a.command.length === 0 || a.command[0] === '') throw invalid(`assignment ${a.jobId}: the job has no command to run.`, { field: 'command' });
  if (a.chip !== input.chip.id) throw invalid(`assignment ${a.jobId} is for chip ${a.chip}, but this node has ${input.chip.id}; refusing to run it.`, { field: 'chip' });
  if (a.nodes !== undefined && a.nodes[a.nodeRank] !== input.nodeId) throw invalid(`assignment ${a.jobId} names ${a.nodes[a.nodeRank] ?? 'no node'} as rank ${a.nodeRank}, not this node (${input.nodeId}); refusing to run it.`, { field: 'nodes' });
  const byIndex = new Map(input.hostDevices.filter((d) => d.index !== null).map((d) => [d.index!, d]));
  const missing = a.devices.filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw invalid(`assignment ${a.jobId} names device(s) ${missing.join(', ')}, which this node does not have (it has ${[...byIndex.keys()].join(', ') || 'none'}).`, { field: 'devices' });
  const physical = a.devices.map((i) => byIndex.get(i)?.physicalIndex ?? i);
  const physicalDiffers = physical.some((p, k) => p !== a.devices[k]);

  const masterAddr = a.env.MASTER_ADDR ?? a.masterAddr ?? rendezvousHost(a, input.advertiseAddr);
  const masterPort = a.env.MASTER_PORT !== undefined ? Number(a.env.MASTER_PORT) : (a.masterPort ?? derivedPort(a.jobId, a.attempt));
  const rank = { masterAddr, masterPort, worldSize: a.nodeCount, rank: a.nodeRank, localRank: 0, nodeRank: a.nodeRank, localWorldSize: 1 };
  const torchrun = {
    PET_NNODES: String(a.nodeCount),
    PET_NODE_RANK: String(a.nodeRank),
    PET_NPROC_PER_NODE: String(a.devices.length),
    PET_MASTER_ADDR: masterAddr,
    PET_MASTER_PORT: String(masterPort),
  };
  const jobEnv = { ...torchrun, ...a.env, TESSERA_NODE_ID: input.nodeId };
  const inContainer = input.runtime !== Runtime.process;
  const re = runEnv({
    chip: input.chip,
    devices: a.devices,
    ...(physicalDiffers ? { physicalIds: physical } : {}),
    rank,
    runtime: input.runtime,
    ...(inContainer && a.image ? { image: a.image } : {}),
    command: a.command,
    jobEnv,
  });
  if (!re.container) {
    const [program, ...args] = a.command;
    return { program: program!, args, env: { ...input.baseEnv, ...re.env }, container: null, notes: re.notes, masterAddr, masterPort };
  }
  const name = containerName(a.jobId, a.attempt);
  const extra = ['--name', name, '--label', `tessera.job=${a.jobId}`, '--label', `tessera.attempt=${a.attempt}`];
  // Ranks meet at MASTER_ADDR, the host's address; a bridged container would not be reachable there.
  // An inference replica listens on the host port the agent picked and probes.
  if (a.nodeCount > 1 || a.kind === 'inference') extra.push('--network', 'host');
  const [run, rm, ...rest] = re.container.args;
  const args = [run!, rm!, ...extra, ...rest];
  return { program: re.container.program, args, env: { ...input.baseEnv }, container: { ...re.container, args }, notes: re.notes, masterAddr, masterPort };
}

/** Container name for an assignment: stable, so a restarted agent can find and stop it. */
export function containerName(jobId: string, attempt: number): string {
  return `tessera-${jobId.replace(/[^A-Za-z0-9_.-]/g, '-')}-${attempt}`;
}

/**
 * Where rank 0 listens: a single-node job meets on the loopback; otherwise rank 0's node id
 * (node ids default to the host name) when the server says which node that is, so every rank
 * names it alike, or this node's own address when it is rank 0. A higher rank that cannot tell where rank 0 is does not start.
 */
function rendezvousHost(a: Assignment, advertiseAddr: string): string {
  if (a.nodeCount === 1) return '127.0.0.1';
  const first = a.nodes?.[0];
  if (first) return first;
  if (a.nodeRank === 0) return advertiseAddr;
  throw invalid(`assignment ${a.jobId}: rank ${a.nodeRank} of ${a.nodeCount} cannot tell where rank 0 runs (the control plane sent no node list and the job declares no MASTER_ADDR).`, { field: 'env.MASTER_ADDR' });
}

/**
 * A rendezvous port every rank computes alike from the job id and attempt (FNV-1a), so two jobs
 * whose rank 0 share a node rarely collide, and a retried attempt gets a fresh port.
 */
export function derivedPort(jobId: string, attempt: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${jobId}#${attempt}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return DERIVED_PORT_BASE + (h % DERIVED_PORT_SPAN);
}

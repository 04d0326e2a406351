/** Turns the store's view (SchedState) into the scheduler's contract types (Snapshot, SchedJob). */
import type { Running, SchedJob, SchedNode, Snapshot } from '../sched/index.js';
import { NodeState, type JobRecord, type SchedState } from '../store/index.js';
import { tenantQueueName } from '../sched/queueing/index.js';
import { queuesFromStore } from './queue-tree.js';

/**
 * The store hands the loop the same JobRecord object for a job while its version stays the same, so
 * conversions are kept per record: a steady cycle over 50,000 waiting jobs converts only the changed ones.
 */
const schedJobs = new WeakMap<JobRecord, SchedJob>();
const runnings = new WeakMap<JobRecord, Running>();

export function toSchedJob(j: JobRecord): SchedJob {
  let out = schedJobs.get(j);
  if (!out) {
    out = convertJob(j);
    schedJobs.set(j, out);
  }
  return out;
}

function convertJob(j: JobRecord): SchedJob {
  const r = j.spec.resources;
  return {
    id: j.id,
    tenant: j.tenant,
    queue: tenantQueueName(j.tenant, j.queue),
    priority: j.priority,
    submitTimeSec: j.submittedAtMs / 1000,
    cards: j.cards,
    milliPerCard: j.milliPerCard,
    gang: r.gang,
    chips: r.chips,
    ...(r.cpuMilli !== null ? { cpuMilli: r.cpuMilli } : {}),
    ...(r.memoryMiB !== null ? { memoryMiB: r.memoryMiB } : {}),
    ...(j.spec.estimatedDurationSec !== null ? { estimatedDurationSec: j.spec.estimatedDurationSec } : {}),
    ...(j.spec.minRuntimeSec !== null ? { minRuntimeSec: j.spec.minRuntimeSec } : {}),
  };
}

export function toRunning(j: JobRecord): Running {
  let out = runnings.get(j);
  if (!out) {
    out = convertRunning(j);
    runnings.set(j, out);
  }
  return out;
}

function convertRunning(j: JobRecord): Running {
  return {
    jobId: j.id,
    tenant: j.tenant,
    queue: tenantQueueName(j.tenant, j.queue),
    priority: j.priority,
    startTimeSec: (j.startedAtMs ?? j.scheduledAtMs ?? j.updatedAtMs) / 1000,
    borrowed: false,
    placements: j.placements,
    chip: j.chip ?? '',
    ...(j.spec.estimatedDurationSec !== null ? { estimatedDurationSec: j.spec.estimatedDurationSec } : {}),
    ...(j.spec.minRuntimeSec !== null ? { minRuntimeSec: j.spec.minRuntimeSec } : {}),
  };
}

/** CPU and memory held by running work per node; a job's request is split across its nodes by card count. */
function heldByNode(running: JobRecord[]): Map<string, { cpuMilli: number; memoryMiB: number }> {
  const held = new Map<string, { cpuMilli: number; memoryMiB: number }>();
  for (const j of running) {
    const cpu = j.spec.resources.cpuMilli ?? 0;
    const mem = j.spec.resources.memoryMiB ?? 0;
    if (cpu === 0 && mem === 0) continue;
    const cards = j.placements.reduce((n, p) => n + p.devices.length, 0) || 1;
    for (const p of j.placements) {
      const h = held.get(p.nodeId) ?? { cpuMilli: 0, memoryMiB: 0 };
      h.cpuMilli += (cpu * p.devices.length) / cards;
      h.memoryMiB += (mem * p.devices.length) / cards;
      held.set(p.nodeId, h);
    }
  }
  return held;
}

export function toSchedNodes(state: SchedState): SchedNode[] {
  const held = heldByNode(state.running);
  return state.nodes.map((n) => {
    const h = held.get(n.id) ?? { cpuMilli: 0, memoryMiB: 0 };
    const size = n.devices.reduce((m, d) => Math.max(m, d.index + 1), 0);
    // Missing or unhealthy devices offer nothing; device index = position, as the contract says.
    const freeMilli = new Array<number>(size).fill(0);
    for (const d of n.devices) freeMilli[d.index] = d.healthy ? Math.max(0, 1000 - d.usedMilli) : 0;
    return {
      id: n.id,
      chip: n.chip,
      cluster: n.cluster,
      rack: n.rack,
      linkDomainSize: n.linkDomainSize,
      cards: size,
      freeMilli,
      schedulable: n.state === NodeState.ready && n.schedulable,
      ...(n.cpuMilli !== null ? { cpuMilliFree: Math.max(0, n.cpuMilli - h.cpuMilli) } : {}),
      ...(n.memoryMiB !== null ? { memoryMiBFree: Math.max(0, n.memoryMiB - h.memoryMiB) } : {}),
    };
  });
}

/** The scheduler's view of the store's state; `withQueues` adds the tenant/queue tree for the queueing profiles. */
export function toSnapshot(state: SchedState, withQueues = false): Snapshot {
  return {
    nodes: toSchedNodes(state),
    running: state.running.map(toRunning),
    nowSec: state.nowMs / 1000,
    ...(withQueues ? { queues: queuesFromStore(state.tenants, state.queues, [state.admitted, state.running]) } : {}),
  };
}

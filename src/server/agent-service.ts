/**
 * The server side of the agent protocol, shared by the HTTP routes and the demo's in-process
 * simulated agents: register, heartbeat (telemetry in, assignments and stops out), acknowledge,
 * status and exit reports, log chunks. A multi-node job ends when every rank has exited 0
 * (succeeded) or when any rank fails (failed; the other ranks are told to stop).
 */
import { TesseraError } from '../lib/errors.js';
import type { Actor, DeviceTelemetry, JobRecord, LogChunk, NodeRecord, NodeRegistration } from '../store/index.js';
import { JobState, imageForStack, isTerminal } from '../workload/index.js';
import type { ServerContext } from './context.js';
import { rendezvousAddr, rendezvousPort } from './rendezvous.js';

export const agentProtocolVersion = 1;

/** Job label that sets the seconds between SIGTERM and SIGKILL when the job is stopped. */
export const stopGraceLabel = 'tessera.io/stop-grace-sec';

export interface Assignment {
  jobId: string;
  attempt: number;
  name: string;
  kind: string;
  command: string[];
  env: Record<string, string>;
  image: string | null;
  chip: string;
  /** This node's devices for the job. */
  devices: number[];
  milliPerDevice: number;
  /** Rank of this node among the job's nodes. */
  nodeRank: number;
  nodeCount: number;
  /** The job's nodes in rank order. */
  nodes: string[];
  /** Where rank 0 listens: its `tessera.io/address` label, else its node id; the loopback for one node. */
  masterAddr: string;
  masterPort: number;
  acknowledged: boolean;
  state: string;
}

export interface StopOrder {
  jobId: string;
  /** Why, in one sentence (cancelled, preempted, another rank failed...). */
  reason: string;
  /** Seconds between SIGTERM and SIGKILL; null: the agent's own default. */
  graceSec: number | null;
}

export interface HeartbeatReply {
  assignments: Assignment[];
  /** Jobs the agent reported running that it must stop (cancelled, preempted, moved, ended elsewhere). */
  stop: string[];
  /** The same jobs with why and how long to wait before SIGKILL. */
  stopDetails: StopOrder[];
  heartbeatIntervalSec: number;
  nodeLeaseSec: number;
}

/** What an agent says about its own health in a heartbeat, next to device telemetry; stored on the node as sent. */
export interface AgentCounters {
  /** Log chunks dropped because the bounded buffer was full (since the agent started). */
  droppedLogChunks?: number;
  droppedLogBytes?: number;
  /** Status and exit reports waiting for the control plane (they replay on reconnect). */
  queuedReports?: number;
  /** Log chunks waiting to be sent. */
  queuedLogChunks?: number;
}

export interface HeartbeatInput extends AgentCounters {
  devices?: DeviceTelemetry[];
  running?: string[];
  loadAvg?: number;
  /** True when the telemetry is made up (the demo's simulated agents). */
  simulated?: boolean;
}

export interface StatusReport {
  attempt: number;
  state: 'running' | 'succeeded' | 'failed';
  exitCode?: number;
  /** The signal that ended the process (e.g. SIGKILL), when one did. */
  signal?: string;
  message?: string;
}

function stopGraceSec(job: JobRecord | null): number | null {
  const raw = job?.spec.labels[stopGraceLabel];
  if (raw === undefined || !/^\d{1,4}$/.test(raw.trim())) return null;
  return Math.min(3600, Number(raw.trim()));
}

function toAssignment(job: JobRecord, nodeId: string, stack: string, rank0: NodeRecord | null): Assignment | null {
  const rank = job.placements.findIndex((p) => p.nodeId === nodeId);
  const mine = job.placements[rank];
  const first = job.placements[0];
  if (!mine || !first || !job.chip) return null;
  return {
    jobId: job.id,
    attempt: job.attempt,
    name: job.name,
    kind: job.kind,
    command: job.spec.command,
    env: { ...job.spec.env, TESSERA_JOB_ID: job.id, TESSERA_ATTEMPT: String(job.attempt), TESSERA_NODE_RANK: String(rank), TESSERA_NNODES: String(job.placements.length) },
    image: imageForStack(job.spec, stack),
    chip: job.chip,
    devices: mine.devices,
    milliPerDevice: mine.milliPerDevice,
    nodeRank: rank,
    nodeCount: job.placements.length,
    nodes: job.placements.map((p) => p.nodeId),
    masterAddr: rendezvousAddr(job.placements.length, first.nodeId, rank0),
    masterPort: rendezvousPort(job.id, job.attempt),
    acknowledged: job.ackedAtMs !== null,
    state: job.state,
  };
}

function describeExit(rank: number, nodeId: string, r: StatusReport): string {
  const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.exitCode ?? 'unknown'}`;
  return `rank ${rank} on ${nodeId} ${how}${r.message ? `: ${r.message}` : ''}`;
}

export class AgentService {
  constructor(private readonly ctx: ServerContext) {}

  private actor(nodeId: string): Actor {
    return { id: `node:${nodeId}`, role: 'agent' };
  }

  async register(reg: NodeRegistration, actor?: Actor): Promise<{ nodeId: string; heartbeatIntervalSec: number; nodeLeaseSec: number; protocolVersion: number }> {
    if (this.ctx.catalog && !this.ctx.catalog.tryResolve(reg.chip)) throw new TesseraError('infeasible', `/node/chip: unknown chip '${reg.chip}'`);
    const chip = this.ctx.catalog?.tryResolve(reg.chip)?.id ?? reg.chip;
    const indexes = new Set(reg.devices.map((d) => d.index));
    if (indexes.size !== reg.devices.length) throw new TesseraError('invalid_input', '/node/devices: device indexes must be unique');
    await this.ctx.store.registerNode({ ...reg, chip }, actor ?? this.actor(reg.id));
    this.ctx.poke();
    return { nodeId: reg.id, heartbeatIntervalSec: this.ctx.config.heartbeatIntervalSec, nodeLeaseSec: this.ctx.config.nodeLeaseSec, protocolVersion: agentProtocolVersion };
  }

  async heartbeat(nodeId: string, body: HeartbeatInput): Promise<HeartbeatReply> {
    const { running, ...telemetry } = body;
    const node = await this.ctx.store.heartbeat(nodeId, telemetry);
    const jobs = await this.ctx.store.assignments(nodeId);
    const stack = node.stacks[0] ?? this.ctx.catalog?.tryResolve(node.chip)?.software.stack ?? 'unknown';
    const assignments: Assignment[] = [];
    for (const j of jobs) {
      const first = j.placements[0]?.nodeId;
      const rank0 = first === undefined || j.placements.length <= 1 ? null : first === nodeId ? node : await this.ctx.store.getNode(first);
      const a = toAssignment(j, nodeId, stack, rank0);
      if (a) assignments.push(a);
    }
    const assigned = new Set(assignments.map((a) => a.jobId));
    const stopDetails: StopOrder[] = [];
    for (const id of running ?? []) {
      if (assigned.has(id)) continue;
      const job = await this.ctx.store.getJob(id);
      stopDetails.push({ jobId: id, reason: this.stopReason(job, nodeId), graceSec: stopGraceSec(job) });
    }
    return { assignments, stop: stopDetails.map((s) => s.jobId), stopDetails, heartbeatIntervalSec: this.ctx.config.heartbeatIntervalSec, nodeLeaseSec: this.ctx.config.nodeLeaseSec };
  }

  private stopReason(job: JobRecord | null, nodeId: string): string {
    if (!job) return 'the control plane does not know this job';
    if (isTerminal(job.state)) return `the job is ${job.state}${job.reason ? `: ${job.reason}` : ''}`;
    if (job.state === JobState.pending || job.state === JobState.admitted) return `the job was taken off its nodes and waits again (${job.reason ?? job.state})`;
    return `the job's attempt ${job.attempt} is not placed on ${nodeId}`;
  }

  async ack(nodeId: string, jobId: string, attempt: number): Promise<{ jobId: string; state: string }> {
    const job = await this.ctx.store.ackAssignment(jobId, nodeId, attempt);
    return { jobId, state: job.state };
  }

  /**
   * A node reports a job running, or its exit. One node: its exit decides. Several: each rank's exit
   * is recorded; the first failure fails the job (the other ranks are then stopped by their next
   * heartbeat), and the job succeeds only once every rank has exited 0. Non-zero exits are not
   * retried: the retry policy covers interruptions (preemption, lost nodes), not a failing program.
   */
  async status(nodeId: string, jobId: string, report: StatusReport): Promise<{ jobId: string; state: string; stop: boolean }> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new TesseraError('not_found', `job ${jobId} not found`);
    const rank = job.placements.findIndex((p) => p.nodeId === nodeId);
    if (job.attempt !== report.attempt) return { jobId, state: job.state, stop: true };
    if (isTerminal(job.state) || rank < 0) return { jobId, state: job.state, stop: true };
    const actor = this.actor(nodeId);
    if (report.state === 'running') {
      const state = job.state === JobState.scheduled ? (await this.move(jobId, JobState.running, { actor, attempt: report.attempt })).state : job.state;
      return { jobId, state, stop: false };
    }
    const exitCode = report.exitCode ?? (report.state === 'succeeded' ? 0 : -1);
    const failed = report.state === 'failed' || exitCode !== 0 || report.signal !== undefined;
    const nodeCount = job.placements.length;
    if (nodeCount > 1) {
      const exits = await this.ctx.store.recordRankExit(jobId, report.attempt, { nodeRank: rank, nodeId, exitCode: failed && exitCode === 0 ? -1 : exitCode, signal: report.signal ?? null });
      if (!failed) {
        const done = exits.filter((e) => e.exitCode === 0).length;
        if (done < nodeCount) return { jobId, state: job.state, stop: false };
        const state = (await this.move(jobId, JobState.succeeded, { actor, attempt: report.attempt, exitCode: 0, reason: `all ${nodeCount} ranks exited 0` })).state;
        this.ctx.poke();
        return { jobId, state, stop: false };
      }
    }
    const to = failed ? JobState.failed : JobState.succeeded;
    const reason = failed ? describeExit(rank, nodeId, report) + (nodeCount > 1 ? `; the other ${nodeCount - 1} rank(s) are being stopped` : '') : undefined;
    const state = (await this.move(jobId, to, { actor, attempt: report.attempt, exitCode, ...(reason !== undefined ? { reason } : {}) })).state;
    this.ctx.poke();
    return { jobId, state, stop: false };
  }

  /** A transition that lost a race (another rank's report, a cancel) leaves the job as the winner left it. */
  private async move(jobId: string, to: JobState, opts: { actor: Actor; attempt: number; exitCode?: number; reason?: string }): Promise<JobRecord> {
    try {
      return await this.ctx.store.transitionJob(jobId, to, opts);
    } catch (e) {
      if (!(e instanceof TesseraError) || e.code !== 'conflict') throw e;
      const now = await this.ctx.store.getJob(jobId);
      if (!now) throw e;
      return now;
    }
  }

  /** Stores a rank's log chunks; the rank comes from the job's placement, or (once the job ended and its placement is gone) from the agent. */
  async logs(nodeId: string, jobId: string, attempt: number, chunks: LogChunk[], reportedRank?: number): Promise<{ stored: number }> {
    const job = await this.ctx.store.getJob(jobId);
    const placed = job && job.attempt === attempt ? job.placements.findIndex((p) => p.nodeId === nodeId) : -1;
    if (!job || (placed < 0 && job.attempt !== attempt && !(await this.ranOn(jobId, attempt, nodeId)))) {
      throw new TesseraError('not_found', `job ${jobId} attempt ${attempt} is not assigned to ${nodeId}`);
    }
    if (placed >= 0 && reportedRank !== undefined && reportedRank !== placed) throw new TesseraError('conflict', `/nodeRank: ${nodeId} is rank ${placed} of job ${jobId}, not ${reportedRank}`);
    const nodeRank = placed >= 0 ? placed : (reportedRank ?? 0);
    return { stored: await this.ctx.store.appendLogs(jobId, attempt, chunks, { nodeRank, nodeId }) };
  }

  /** Whether the node reported an exit for that (earlier) attempt, so its trailing logs are still its own. */
  private async ranOn(jobId: string, attempt: number, nodeId: string): Promise<boolean> {
    return (await this.ctx.store.rankExits(jobId, attempt)).some((e) => e.nodeId === nodeId);
  }
}

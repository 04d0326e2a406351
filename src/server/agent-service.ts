/**
 * The server side of the agent protocol, shared by the HTTP routes and the demo's in-process
 * simulated agents: register, heartbeat (telemetry in, assignments and cancellations out),
 * acknowledge, status and exit reports, log chunks.
 */
import { TesseraError } from '../lib/errors.js';
import type { Actor, DeviceTelemetry, JobRecord, LogChunk, NodeRegistration } from '../store/index.js';
import { JobState, imageForStack, isTerminal } from '../workload/index.js';
import type { ServerContext } from './context.js';

export const agentProtocolVersion = 1;

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
  /** Rank of this node among the job's nodes (0 = the one whose exit decides the job). */
  nodeRank: number;
  nodeCount: number;
  /** The job's nodes in rank order; rank 0's id is where the other ranks meet (MASTER_ADDR). */
  nodes: string[];
  acknowledged: boolean;
  state: string;
}

export interface HeartbeatReply {
  assignments: Assignment[];
  /** Jobs the agent reported running that it must stop (cancelled, preempted, moved). */
  stop: string[];
  heartbeatIntervalSec: number;
  nodeLeaseSec: number;
}

function toAssignment(job: JobRecord, nodeId: string, stack: string): Assignment | null {
  const rank = job.placements.findIndex((p) => p.nodeId === nodeId);
  const mine = job.placements[rank];
  if (!mine || !job.chip) return null;
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
    acknowledged: job.ackedAtMs !== null,
    state: job.state,
  };
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

  async heartbeat(nodeId: string, body: { devices?: DeviceTelemetry[]; running?: string[]; [k: string]: unknown }): Promise<HeartbeatReply> {
    const { running, ...telemetry } = body;
    const node = await this.ctx.store.heartbeat(nodeId, telemetry);
    const jobs = await this.ctx.store.assignments(nodeId);
    const stack = node.stacks[0] ?? this.ctx.catalog?.tryResolve(node.chip)?.software.stack ?? 'unknown';
    const assignments = jobs.map((j) => toAssignment(j, nodeId, stack)).filter((a): a is Assignment => a !== null);
    const assigned = new Set(assignments.map((a) => a.jobId));
    const stop = (running ?? []).filter((id) => !assigned.has(id));
    return { assignments, stop, heartbeatIntervalSec: this.ctx.config.heartbeatIntervalSec, nodeLeaseSec: this.ctx.config.nodeLeaseSec };
  }

  async ack(nodeId: string, jobId: string, attempt: number): Promise<{ jobId: string; state: string }> {
    const job = await this.ctx.store.ackAssignment(jobId, nodeId, attempt);
    return { jobId, state: job.state };
  }

  /** A node reports a job's progress. The first node (rank 0) decides the job's exit; any node's failure fails it. */
  async status(nodeId: string, jobId: string, report: { attempt: number; state: 'running' | 'succeeded' | 'failed'; exitCode?: number; message?: string }): Promise<{ jobId: string; state: string; stop: boolean }> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new TesseraError('not_found', `job ${jobId} not found`);
    const rank = job.placements.findIndex((p) => p.nodeId === nodeId);
    if (job.attempt !== report.attempt) return { jobId, state: job.state, stop: true };
    if (isTerminal(job.state) || rank < 0) return { jobId, state: job.state, stop: true };
    const actor = this.actor(nodeId);
    let state = job.state;
    if (report.state === 'running') {
      if (job.state === JobState.scheduled) state = (await this.ctx.store.transitionJob(jobId, JobState.running, { actor, attempt: report.attempt })).state;
    } else if (report.state === 'failed') {
      state = (await this.ctx.store.transitionJob(jobId, JobState.failed, { actor, attempt: report.attempt, exitCode: report.exitCode ?? -1, reason: report.message ?? `exited with code ${report.exitCode ?? 'unknown'} on ${nodeId}` })).state;
      this.ctx.poke();
    } else if (rank === 0) {
      state = (await this.ctx.store.transitionJob(jobId, JobState.succeeded, { actor, attempt: report.attempt, exitCode: report.exitCode ?? 0 })).state;
      this.ctx.poke();
    }
    return { jobId, state, stop: false };
  }

  async logs(nodeId: string, jobId: string, attempt: number, chunks: LogChunk[]): Promise<{ stored: number }> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job || !job.placements.some((p) => p.nodeId === nodeId)) {
      // Logs may trail the job's end (placements cleared); accept them for the attempt the node ran.
      if (!job || job.attempt !== attempt) throw new TesseraError('not_found', `job ${jobId} attempt ${attempt} is not assigned to ${nodeId}`);
    }
    return { stored: await this.ctx.store.appendLogs(jobId, attempt, chunks) };
  }
}

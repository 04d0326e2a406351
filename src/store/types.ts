/**
 * Records the store keeps. Times are epoch milliseconds (`...AtMs`); JSON columns come back parsed.
 */
import type { JobKind, JobSpec, JobState, ServiceSpec } from '../workload/index.js';

export const Role = {
  admin: 'admin',
  operator: 'operator',
  member: 'member',
  agent: 'agent',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles: readonly Role[] = Object.values(Role);

export interface Actor {
  /** Token id, `system`, `scheduler`, or `node:<id>`. */
  id: string;
  role: Role | 'system';
  tenant?: string | null;
}
export const systemActor: Actor = { id: 'system', role: 'system' };

export interface Placement {
  nodeId: string;
  devices: number[];
  milliPerDevice: number;
}

export interface JobRecord {
  id: string;
  tenant: string;
  queue: string;
  name: string;
  kind: JobKind;
  state: JobState;
  priority: number;
  spec: JobSpec;
  /** Optimistic-concurrency version: bumped by every change. */
  version: number;
  /** Attempts started so far (bumped on each bind). */
  attempt: number;
  serviceId: string | null;
  idempotencyKey: string | null;
  cards: number;
  milliPerCard: number;
  chip: string | null;
  placements: Placement[];
  reason: string | null;
  exitCode: number | null;
  /** Why the job waits, per scheduler plugin, from the latest cycle. */
  explain: { plugin: string; reason: string }[] | null;
  submittedAtMs: number;
  updatedAtMs: number;
  notBeforeMs: number | null;
  scheduledAtMs: number | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  ackedAtMs: number | null;
}

export interface JobFilter {
  tenant?: string;
  states?: JobState[];
  queue?: string;
  kind?: JobKind;
  serviceId?: string;
  nodeId?: string;
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Tenant {
  id: string;
  name: string;
  /** Card quota per chip id, `*` for all chips together. Absent = unlimited. */
  quota: Record<string, number>;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface QueueRecord {
  tenant: string;
  name: string;
  weight: number;
  priority: number;
  createdAtMs: number;
}

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  tenant: string | null;
  nodeId: string | null;
  createdAtMs: number;
  createdBy: string;
  revokedAtMs: number | null;
}

export const NodeState = {
  ready: 'Ready',
  lost: 'Lost',
} as const;
export type NodeState = (typeof NodeState)[keyof typeof NodeState];

export interface DeviceInput {
  index: number;
  uuid?: string;
  healthy?: boolean;
  memoryMiB?: number;
}

export interface NodeRegistration {
  id: string;
  cluster: string;
  chip: string;
  rack?: string;
  linkDomainSize?: number;
  devices: DeviceInput[];
  stacks?: string[];
  cpuMilli?: number;
  memoryMiB?: number;
  labels?: Record<string, string>;
  /** True for the demo's in-process agents; shown everywhere. */
  simulated?: boolean;
  agentVersion?: string;
}

export interface DeviceRecord {
  nodeId: string;
  index: number;
  uuid: string | null;
  healthy: boolean;
  usedMilli: number;
  telemetry: Record<string, number> | null;
}

export interface NodeRecord {
  id: string;
  cluster: string;
  chip: string;
  rack: string;
  linkDomainSize: number;
  cards: number;
  stacks: string[];
  labels: Record<string, string>;
  state: NodeState;
  schedulable: boolean;
  simulated: boolean;
  cpuMilli: number | null;
  memoryMiB: number | null;
  agentVersion: string | null;
  registeredAtMs: number;
  lastHeartbeatAtMs: number;
  telemetry: Record<string, unknown> | null;
}

export interface NodeFilter {
  cluster?: string;
  chip?: string;
  state?: NodeState;
  limit: number;
  offset: number;
}

export interface DeviceTelemetry {
  index: number;
  utilPct?: number;
  memUsedMiB?: number;
  tempC?: number;
  powerW?: number;
  healthy?: boolean;
}

export interface ServiceRecord {
  id: string;
  tenant: string;
  name: string;
  spec: ServiceSpec;
  state: 'Active' | 'Deleted';
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface EventRecord {
  /** Monotonically increasing; SSE clients resume after it with Last-Event-ID. */
  id: number;
  atMs: number;
  type: string;
  subject: string;
  tenant: string | null;
  data: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  atMs: number;
  actor: string;
  action: string;
  subject: string;
  tenant: string | null;
  detail: Record<string, unknown>;
}

export interface LogChunk {
  seq: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogRecord extends LogChunk {
  jobId: string;
  attempt: number;
  /** Which rank of a multi-node job wrote the line (0 for single-node jobs); `seq` counts per rank. */
  nodeRank: number;
  /** The node that sent it; null for lines stored before ranks were recorded. */
  nodeId: string | null;
  /** Arrival order across all ranks and jobs: the cursor a reader resumes after. */
  cursor: number;
  atMs: number;
}

export interface LogQuery {
  /** Lines after this cursor (0 = from the start). */
  after: number;
  limit: number;
  /** Default: the latest attempt that has logs. */
  attempt?: number;
  /** Default: all ranks, interleaved in arrival order. */
  nodeRank?: number;
}

/** What one rank of a multi-node attempt ended with; the job ends when all ranks succeeded or one failed. */
export interface RankExit {
  nodeRank: number;
  nodeId: string;
  exitCode: number;
  signal: string | null;
  atMs: number;
}

export interface Lease {
  name: string;
  holder: string;
  epoch: number;
  expiresAtMs: number;
}

/** Proof that the caller still leads: applyDecisions refuses to act when the lease moved on. */
export interface LeaseFence {
  name: string;
  holder: string;
  epoch: number;
}

export type Decision =
  | { kind: 'bind'; jobId: string; chip: string; placements: Placement[] }
  | { kind: 'preempt'; jobId: string; reason: string; forJobId: string }
  | { kind: 'reject'; jobId: string; reason: string };

export interface ApplyResult {
  applied: Decision[];
  refused: { decision: Decision; reason: string }[];
}

export interface UsageRow {
  tenant: string;
  chip: string;
  /** Card-seconds, fractional shares counted by their share. */
  cardSec: number;
  jobs: number;
}

/** Everything the scheduling loop needs for one cycle, read in one transaction. */
export interface SchedState {
  nodes: (NodeRecord & { devices: DeviceRecord[] })[];
  /** Jobs holding cards (Scheduled or Running). */
  running: JobRecord[];
  /** Admitted jobs, waiting for placement. */
  admitted: JobRecord[];
  /** Pending jobs whose backoff has passed, waiting for admission. */
  pending: JobRecord[];
  tenants: Tenant[];
  queues: QueueRecord[];
  nowMs: number;
}

/** Where a running inference replica answers, as the agent that runs it reported (demo: an in-process emulator, `simulated`). */
export interface ReplicaEndpoint {
  jobId: string;
  attempt: number;
  serviceId: string;
  tenant: string;
  model: string | null;
  chip: string | null;
  nodeId: string | null;
  /** Base URL of an OpenAI-compatible engine (http://host:port). */
  url: string;
  simulated: boolean;
}

/**
 * One minute of a model's traffic on one chip, as the gateway measured it: requests, errors, TTFT
 * and TPOT histograms (counts per the gateway's fixed latency bounds, plus an overflow bucket) and
 * how many requests met the service's SLO.
 */
export interface ServiceTrafficRow {
  /** The service whose replicas served the traffic ('' for replicas outside any service). */
  service: string;
  model: string;
  chip: string;
  minuteMs: number;
  requests: number;
  errors: number;
  sloJudged: number;
  sloMet: number;
  ttftHist: number[];
  tpotHist: number[];
}

/** Demand one minute brought to a service: requests per size cell of the serving planner (served or shed). */
export interface ServiceDemandRow {
  service: string;
  model: string;
  minuteMs: number;
  /** Per cell: input edge index `i`, output edge index `o`, requests `n`, and their prompt / max-output token sums. */
  cells: { i: number; o: number; n: number; inSum: number; outSum: number }[];
}

/** Tokens the gateway served per tenant, model and chip (the backends' own counts). */
export interface TokenUsageRow {
  tenant: string;
  model: string;
  chip: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
}

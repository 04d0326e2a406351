/**
 * The control plane's durable state, in domain verbs. Two backends implement it (sqlite/ and
 * postgres/) and one conformance suite (conformance.ts) runs against both.
 *
 * Contracts every backend keeps:
 * - Every state change is one transaction, writes an event (monotonic id, for SSE resume) and an
 *   audit entry with its actor.
 * - Job state changes go through the workload state machine; a refused transition is a `conflict`.
 * - `applyDecisions` applies a batch in one transaction; each bind is checked against the job's
 *   version and each device's remaining share, so a card (or a share of one) is never given twice,
 *   even by two control planes racing on one database.
 */
import type { JobSpec, JobState, ServiceSpec } from '../workload/index.js';
import type {
  Actor,
  ApplyResult,
  AuditRecord,
  Decision,
  DeviceRecord,
  DeviceTelemetry,
  EventRecord,
  JobFilter,
  JobRecord,
  Lease,
  LeaseFence,
  LogChunk,
  LogQuery,
  LogRecord,
  RankExit,
  NodeFilter,
  NodeRecord,
  NodeRegistration,
  Page,
  QueueRecord,
  ReplicaEndpoint,
  Role,
  SchedState,
  ServiceRecord,
  Tenant,
  TokenRecord,
  TokenUsageRow,
  ServiceTrafficRow,
  ServiceDemandRow,
  UsageRow,
} from './types.js';

export interface SubmitOptions {
  actor: Actor;
  idempotencyKey?: string;
  serviceId?: string;
}

export interface TransitionOptions {
  actor: Actor;
  /** Refuse (conflict) unless the job is still at this version. */
  expectedVersion?: number;
  /** Refuse (conflict) unless this is the job's current attempt (stale agent reports). */
  attempt?: number;
  reason?: string;
  exitCode?: number;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** Applied migration versions, ascending. */
  migrations(): Promise<number[]>;

  // Tenants, queues, quotas
  upsertTenant(t: { id: string; name?: string; quota?: Record<string, number> }, actor: Actor): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | null>;
  listTenants(): Promise<Tenant[]>;
  deleteTenant(id: string, actor: Actor): Promise<void>;
  upsertQueue(q: { tenant: string; name: string; weight?: number; priority?: number }, actor: Actor): Promise<QueueRecord>;
  listQueues(tenant?: string): Promise<QueueRecord[]>;

  // API tokens (only a SHA-256 hash of the secret is stored)
  createToken(t: { name: string; role: Role; tenant?: string | null; nodeId?: string | null; secret?: string }, actor: Actor): Promise<{ token: TokenRecord; secret: string }>;
  verifyToken(secret: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string, actor: Actor): Promise<void>;
  countTokens(): Promise<number>;

  // Jobs
  /** Creates a Pending job; with an idempotency key already used by the tenant, returns that job (`created: false`), or a conflict when the spec differs. */
  submitJob(spec: JobSpec, opts: SubmitOptions): Promise<{ job: JobRecord; created: boolean }>;
  getJob(id: string): Promise<JobRecord | null>;
  listJobs(filter: JobFilter): Promise<Page<JobRecord>>;
  cancelJob(id: string, actor: Actor, reason?: string): Promise<JobRecord>;
  transitionJob(id: string, to: JobState, opts: TransitionOptions): Promise<JobRecord>;
  /** Pending -> Admitted for each job still at the given version; returns the admitted ids. */
  admitJobs(jobs: { id: string; version: number; tenant?: string }[], actor: Actor): Promise<string[]>;
  applyDecisions(decisions: Decision[], opts: { actor: Actor; versions: Record<string, number>; fence?: LeaseFence }): Promise<ApplyResult>;
  saveExplanations(explanations: Record<string, { plugin: string; reason: string }[]>): Promise<void>;
  schedState(): Promise<SchedState>;

  // Nodes, devices and the agent protocol
  registerNode(n: NodeRegistration, actor: Actor): Promise<NodeRecord>;
  heartbeat(nodeId: string, telemetry: { devices?: DeviceTelemetry[]; [k: string]: unknown }): Promise<NodeRecord>;
  /**
   * Nodes Ready silent for longer than `silentForMs`, counting from the later of their last heartbeat
   * and `notBeforeMs` (default: when this store was opened), so a control plane back from an outage
   * longer than the lease gives every agent a full lease to reach it before calling any node Lost.
   */
  silentNodes(silentForMs: number, notBeforeMs?: number): Promise<string[]>;
  /** Node -> Lost; its Scheduled/Running jobs -> Lost -> Pending (retry policy, backoff) or Failed. */
  markLost(nodeId: string, actor: Actor): Promise<JobRecord[]>;
  setSchedulable(nodeId: string, schedulable: boolean, actor: Actor): Promise<NodeRecord>;
  getNode(id: string): Promise<NodeRecord | null>;
  listNodes(filter: NodeFilter): Promise<Page<NodeRecord>>;
  listDevices(nodeId?: string): Promise<DeviceRecord[]>;
  /** Jobs bound to the node (Scheduled or Running), with the node's part of their placement. */
  assignments(nodeId: string): Promise<JobRecord[]>;
  ackAssignment(jobId: string, nodeId: string, attempt: number): Promise<JobRecord>;
  /** Stores log chunks of one rank (default rank 0); each rank numbers its chunks from 1 and a resent chunk is kept once. */
  appendLogs(jobId: string, attempt: number, chunks: LogChunk[], from?: { nodeRank: number; nodeId: string | null }): Promise<number>;
  /** One rank's lines, or all ranks' interleaved in arrival order, after a cursor. */
  readLogs(jobId: string, q: LogQuery): Promise<LogRecord[]>;
  /** Records one rank's exit (first report wins) under the job's row lock; returns all exits of the attempt so far. */
  recordRankExit(jobId: string, attempt: number, exit: Omit<RankExit, 'atMs'>): Promise<RankExit[]>;
  rankExits(jobId: string, attempt: number): Promise<RankExit[]>;

  // Inference services (each replica is an inference job)
  createService(spec: ServiceSpec, actor: Actor, replicaSpec: (i: number) => JobSpec): Promise<ServiceRecord>;
  getService(id: string): Promise<ServiceRecord | null>;
  listServices(tenant?: string): Promise<ServiceRecord[]>;
  deleteService(id: string, actor: Actor): Promise<ServiceRecord>;
  /** Sets the replica count; scaling down cancels the newest live replicas (the loop adds missing ones). */
  scaleService(id: string, replicas: number, actor: Actor): Promise<ServiceRecord>;
  /** Sets replicas per chip (autoscaler): surplus cancelled, missing ones submitted pinned to their chip; one `service.autoscaled` event with `detail`. */
  applyServiceMix(id: string, mix: Readonly<Record<string, number>>, replicaSpec: (chip: string, i: number) => JobSpec, actor: Actor, detail: Record<string, unknown>): Promise<{ service: ServiceRecord; started: number; stopped: number }>;
  /** An agent reports where a replica it runs answers (only for the job's current attempt). */
  setReplicaEndpoint(jobId: string, e: { attempt: number; url: string; simulated: boolean }, actor: Actor): Promise<void>;
  /** Endpoints of running replicas (reports from older attempts are ignored). */
  replicaEndpoints(tenant?: string): Promise<ReplicaEndpoint[]>;
  /** Adds the gateway's token counts (deltas) to the stored totals. */
  addTokenUsage(rows: readonly TokenUsageRow[]): Promise<void>;
  tokenUsage(tenant?: string): Promise<TokenUsageRow[]>;
  /** Adds the gateway's per-minute traffic buckets (deltas) to the stored ones. */
  addServiceTraffic(rows: readonly ServiceTrafficRow[]): Promise<void>;
  /** Stored traffic buckets of `model` from minute `sinceMs` on, oldest first. */
  serviceTraffic(service: string, sinceMs: number): Promise<ServiceTrafficRow[]>;
  /** Deletes traffic buckets of minutes before `beforeMs`; returns how many. */
  pruneServiceTraffic(beforeMs: number): Promise<number>;
  /** Merges per-minute demand buckets (cell counts and sums add up). */
  addServiceDemand(rows: readonly ServiceDemandRow[]): Promise<void>;
  /** A service's demand buckets from the minute starting at `sinceMs` on, oldest first. */
  serviceDemand(service: string, sinceMs: number): Promise<ServiceDemandRow[]>;

  // Events, audit, usage
  listEvents(afterId: number, limit: number, tenant?: string): Promise<EventRecord[]>;
  listAudit(limit: number, offset: number): Promise<Page<AuditRecord>>;
  usage(tenant?: string): Promise<UsageRow[]>;

  // Leader lease
  /** Takes or renews the lease when free, expired or already ours; returns the lease as it now stands. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease>;
  releaseLease(name: string, holder: string): Promise<void>;
}

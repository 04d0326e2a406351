/**
 * The agent's side of the control plane's agent protocol (version 1, HTTP+JSON under
 * /api/v1/agent). Every call has a timeout; failures are classified so the run loop knows
 * whether to retry (network down, 5xx, 429), re-register (404 on heartbeat) or give up on one
 * report (other 4xx: the server refused it for good).
 */
export const AGENT_PROTOCOL_VERSION = 1;

export interface RegistrationDevice {
  index: number;
  uuid?: string;
  healthy?: boolean;
  memoryMiB?: number;
}

export interface Registration {
  id: string;
  cluster: string;
  chip: string;
  rack?: string;
  devices: RegistrationDevice[];
  stacks?: string[];
  cpuMilli?: number;
  memoryMiB?: number;
  labels?: Record<string, string>;
  simulated?: boolean;
  agentVersion?: string;
}

export interface Telemetry {
  index: number;
  utilPct?: number;
  memUsedMiB?: number;
  tempC?: number;
  powerW?: number;
  healthy?: boolean;
}

/** What the server sends per assignment (agent-service.ts `Assignment`); checked before use. */
export interface Assignment {
  jobId: string;
  attempt: number;
  name: string;
  kind: string;
  command: string[];
  env: Record<string, string>;
  image: string | null;
  chip: string;
  devices: number[];
  milliPerDevice: number;
  nodeRank: number;
  nodeCount: number;
  acknowledged: boolean;
  state: string;
  /** Node ids in rank order, when the server sends them (rank 0 hosts the rendezvous). */
  nodes?: string[];
  masterAddr?: string;
  masterPort?: number;
}

/** Why a job must stop and how long to wait between SIGTERM and SIGKILL (null: the agent's default). */
export interface StopOrder {
  jobId: string;
  reason: string;
  graceSec: number | null;
}

export interface HeartbeatReply {
  assignments: Assignment[];
  stop: string[];
  /** The same jobs as `stop`, with reasons and grace periods (servers before this field send only `stop`). */
  stopDetails?: StopOrder[];
  heartbeatIntervalSec: number;
  nodeLeaseSec: number;
}

export interface RegisterReply {
  nodeId: string;
  heartbeatIntervalSec: number;
  nodeLeaseSec: number;
  protocolVersion: number;
}

export interface StatusReport {
  attempt: number;
  state: 'running' | 'succeeded' | 'failed';
  exitCode?: number;
  /** The signal that ended the process, when one did. */
  signal?: string;
  message?: string;
}

/** The agent's own health, sent with every heartbeat and shown on the node. */
export interface AgentCounters {
  droppedLogChunks: number;
  droppedLogBytes: number;
  queuedReports: number;
  queuedLogChunks: number;
}

export interface WireLogChunk {
  seq: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export const FailureKind = {
  /** Network error, timeout, 5xx, 429: try again later. */
  retry: 'retry',
  /** The node is unknown to the server (a fresh database): register again. */
  unregistered: 'unregistered',
  /** The server refused this request for good (4xx). */
  rejected: 'rejected',
  /** The token is wrong or revoked (401/403): nothing will work until an operator fixes it. */
  auth: 'auth',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

export class ProtocolError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface ProtocolClientOptions {
  server: string;
  token: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export class ProtocolClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly o: ProtocolClientOptions) {
    this.base = o.server.replace(/\/+$/, '');
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.fetchImpl = o.fetchImpl ?? fetch;
  }

  get server(): string {
    return this.base;
  }

  register(node: Registration): Promise<RegisterReply> {
    return this.post('/register', { protocolVersion: AGENT_PROTOCOL_VERSION, node });
  }

  heartbeat(nodeId: string, devices: Telemetry[], running: string[], loadAvg?: number, counters?: AgentCounters): Promise<HeartbeatReply> {
    return this.post('/heartbeat', { protocolVersion: AGENT_PROTOCOL_VERSION, nodeId, devices, running, ...(loadAvg !== undefined ? { loadAvg } : {}), ...(counters ?? {}) }, true);
  }

  ack(nodeId: string, jobId: string, attempt: number): Promise<{ jobId: string; state: string }> {
    return this.post(`/assignments/${encodeURIComponent(jobId)}/ack`, { nodeId, attempt });
  }

  status(nodeId: string, jobId: string, report: StatusReport): Promise<{ jobId: string; state: string; stop: boolean }> {
    return this.post(`/jobs/${encodeURIComponent(jobId)}/status`, { nodeId, ...report });
  }

  /** Chunks of one rank, numbered from 1 per rank (the server keys lines by job, attempt, rank and seq). */
  logs(nodeId: string, jobId: string, attempt: number, chunks: WireLogChunk[], nodeRank?: number): Promise<{ stored: number }> {
    return this.post(`/jobs/${encodeURIComponent(jobId)}/logs`, { nodeId, attempt, ...(nodeRank !== undefined ? { nodeRank } : {}), chunks });
  }

  /** Where an inference replica this node runs answers (an OpenAI-compatible base URL) for its current attempt. */
  endpoint(jobId: string, attempt: number, url: string): Promise<{ jobId: string; url: string }> {
    return this.post(`/replicas/${encodeURIComponent(jobId)}/endpoint`, { attempt, url }, false, 'PUT');
  }

  private async post<T>(path: string, body: unknown, notFoundMeansUnregistered = false, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}/api/v1/agent${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      throw new ProtocolError(FailureKind.retry, null, `control plane ${this.base} unreachable: ${why}`);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (res.ok) {
      if (parsed === null || typeof parsed !== 'object') throw new ProtocolError(FailureKind.retry, res.status, `control plane answered ${path} with a body that is not JSON`);
      return parsed as T;
    }
    const message = typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string' ? (parsed as { message: string }).message : `HTTP ${res.status}`;
    const kind =
      res.status >= 500 || res.status === 429 || res.status === 408
        ? FailureKind.retry
        : res.status === 401 || res.status === 403
          ? FailureKind.auth
          : res.status === 404 && notFoundMeansUnregistered
            ? FailureKind.unregistered
            : FailureKind.rejected;
    throw new ProtocolError(kind, res.status, `${path}: ${message}`);
  }
}

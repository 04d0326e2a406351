import type { ReplicaSpec } from '../config/schema.js';
import type { ReplicaSource } from './replica-source.js';

/** A running replica as the control plane lists it (`GET /api/v1/replicas`). */
export interface ControlPlaneEndpoint {
  jobId: string;
  serviceId: string;
  /** The tenant owning the service: only its keys are routed to the replica. */
  tenant: string;
  model: string | null;
  chip: string | null;
  url: string;
  simulated: boolean;
}

/**
 * Replica specs for the gateway: one per endpoint that names its model and chip, with its service.
 * `tenantScoped`: each replica serves only its owning tenant's keys, for a gateway whose keys are
 * the control plane's own tokens (the embedded one). A standalone gateway leaves it off: its control
 * plane token already limits which replicas it sees, and its clients use the config file's keys.
 */
export function replicasFromEndpoints(endpoints: readonly ControlPlaneEndpoint[], complete: (r: ReplicaSpec) => ReplicaSpec = (r) => r, o: { tenantScoped?: boolean } = {}): ReplicaSpec[] {
  return endpoints
    .filter((e) => e.model !== null && e.chip !== null)
    .map((e) => complete({ id: e.jobId, model: e.model as string, chip: e.chip as string, url: e.url, service: e.serviceId, ...(o.tenantScoped ? { tenant: e.tenant } : {}) }));
}

export interface PollingSourceOptions {
  intervalMs: number;
  /** Called when a poll fails; the last known set stays in force meanwhile. */
  onError?: (e: unknown) => void;
}

/**
 * Follows the control plane: polls a fetcher (the store in-process, or `GET /api/v1/replicas`
 * over HTTP) and tells listeners whenever the set of replicas changes, so replicas appear and
 * disappear live. A failed poll keeps the last set: a control plane restart does not empty the gateway.
 */
export class PollingReplicaSource implements ReplicaSource {
  private replicas: readonly ReplicaSpec[] = [];
  private signature = '';
  private readonly listeners = new Set<(r: readonly ReplicaSpec[]) => void>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly fetch: () => Promise<ReplicaSpec[]>,
    private readonly o: PollingSourceOptions,
  ) {}

  current(): readonly ReplicaSpec[] {
    return this.replicas;
  }

  subscribe(listener: (replicas: readonly ReplicaSpec[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Polls now (also on the timer); concurrent calls share one poll. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    let next: ReplicaSpec[];
    try {
      next = await this.fetch();
    } catch (e) {
      this.o.onError?.(e);
      return;
    }
    next.sort((a, b) => a.id.localeCompare(b.id));
    const sig = JSON.stringify(next);
    if (sig === this.signature) return;
    this.signature = sig;
    this.replicas = next;
    for (const l of this.listeners) l(next);
  }
}

/** A fetcher over the control plane's HTTP API, with a token that may list the replicas. */
export function httpEndpointFetcher(baseUrl: string, token: string, timeoutMs = 5000): () => Promise<ControlPlaneEndpoint[]> {
  const url = `${baseUrl.replace(/\/$/, '')}/api/v1/replicas`;
  return async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    const body = (await res.json()) as { items?: ControlPlaneEndpoint[] };
    return body.items ?? [];
  };
}

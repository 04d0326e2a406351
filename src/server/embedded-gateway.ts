/**
 * The gateway inside the control plane (`tessera serve --gateway`): an OpenAI-compatible endpoint
 * on its own port whose replicas follow the control plane's running inference replicas, whose
 * API keys are the control plane's tokens (a member token bills its tenant), and whose token
 * usage is written to the store, where `GET /api/v1/usage` shows it.
 *
 * Its own port rather than `/v1` on the API server: the gateway's hot path is plain node:http
 * (no Fastify hooks, body parsing or schema checks per request), and serving traffic can be
 * exposed to users while the control plane's API stays internal.
 */
import type { Catalog } from '../catalog/catalog.js';
import { Gateway, validateGatewayConfig, type KeyConfig, type SloTargets } from '../gateway/index.js';
import { withPerfPredictions } from '../gateway/config/perf-predictions.js';
import type { ReplicaSpec } from '../gateway/config/schema.js';
import { PollingReplicaSource, replicasFromEndpoints } from '../gateway/routing/index.js';
import type { Store } from '../store/index.js';
import { findModelPreset } from '../workload/models/index.js';

export interface EmbeddedGatewayOptions {
  port: number;
  host: string;
  /** How often replicas are re-read from the store. */
  pollMs?: number;
  /** How often token usage is written to the store. */
  flushMs?: number;
  /** How long per-minute traffic buckets are kept in the store (default 7 days). */
  trafficRetentionMs?: number;
  /** How long a verified API key is trusted before it is checked again (revocations take this long). */
  keyTtlMs?: number;
  /** Gateway config beyond replicas and keys (routing, limits, prices); default: the gateway's defaults. */
  config?: Record<string, unknown>;
  onError?: (e: unknown) => void;
  now?: () => number;
}

export class EmbeddedGateway {
  readonly gateway: Gateway;
  readonly source: PollingReplicaSource;
  private readonly keys = new Map<string, { key: KeyConfig | null; atMs: number; admin: boolean }>();
  private readonly predicted = new Map<string, ReplicaSpec>();
  /** SLO per service, from the active services (re-read with every replica poll). */
  private slos = new Map<string, SloTargets>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private prunedAtMs = 0;
  url = '';

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog | null,
    private readonly o: EmbeddedGatewayOptions,
  ) {
    const now = o.now ?? Date.now;
    // SLOs are re-read with the replicas, so a service's requests are judged from its first replica on.
    this.source = new PollingReplicaSource(async () => {
      await this.refreshSlos();
      return replicasFromEndpoints(await store.replicaEndpoints(), (r) => this.withPrediction(r), { tenantScoped: true });
    }, { intervalMs: o.pollMs ?? 1000, ...(o.onError ? { onError: o.onError } : {}) });
    this.gateway = new Gateway(validateGatewayConfig({ replicas: [], ...(o.config ?? {}) }, 'gateway config'), {
      source: this.source,
      nowMs: now,
      resolveKey: async (token) => (await this.lookup(token)).key,
      // Usage of every tenant, replica state and metrics: for the control plane's staff only.
      isAdmin: async (token) => (await this.lookup(token)).admin,
      sloFor: (service) => this.slos.get(service) ?? null,
    });
  }

  async start(): Promise<string> {
    await this.source.refresh();
    this.source.start();
    const { url } = await this.gateway.listen(this.o.port, this.o.host);
    this.url = url;
    this.flushTimer = setInterval(() => void this.flush(), this.o.flushMs ?? 2000);
    this.flushTimer.unref();
    return url;
  }

  /** Writes the usage, per-minute traffic and demand counted since the last flush; on failure the counts wait for the next one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const g = this.gateway;
      await this.write(g.drainUsage(), (r) => this.store.addTokenUsage(r), (r) => g.undrainUsage(r));
      await this.write(g.drainServiceTraffic(), (r) => this.store.addServiceTraffic(r), (r) => g.undrainServiceTraffic(r));
      await this.write(g.drainDemand(), (r) => this.store.addServiceDemand(r), (r) => g.undrainDemand(r));
      await this.prune();
    });
    return this.flushing;
  }

  /** Stores drained counts; when that fails they go back to the gateway for the next flush. */
  private async write<T>(rows: T[], store: (rows: T[]) => Promise<void>, putBack: (rows: T[]) => void): Promise<void> {
    if (rows.length === 0) return;
    try {
      await store(rows);
    } catch (e) {
      putBack(rows);
      this.o.onError?.(e);
    }
  }

  /** Old traffic buckets go, at most every ten minutes. */
  private async prune(): Promise<void> {
    const now = (this.o.now ?? Date.now)();
    if (now - this.prunedAtMs < 600_000) return;
    this.prunedAtMs = now;
    try {
      await this.store.pruneServiceTraffic(now - (this.o.trafficRetentionMs ?? 7 * 86_400_000));
    } catch (e) {
      this.o.onError?.(e);
    }
  }

  private async refreshSlos(): Promise<void> {
    try {
      const next = new Map<string, SloTargets>();
      for (const s of await this.store.listServices()) {
        const slo = s.spec.slo;
        if (s.state !== 'Active' || (slo.ttftMsP99 === undefined && slo.tpotMsP99 === undefined)) continue;
        next.set(s.id, { ...(slo.ttftMsP99 !== undefined ? { ttftMs: slo.ttftMsP99 } : {}), ...(slo.tpotMsP99 !== undefined ? { tpotMs: slo.tpotMsP99 } : {}) });
      }
      this.slos = next;
    } catch (e) {
      this.o.onError?.(e);
    }
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.source.stop();
    await this.gateway.close();
    await this.flush();
  }

  /** A control plane token as the gateway sees it, cached for `keyTtlMs` so the hot path rarely reads the store. */
  private async lookup(token: string): Promise<{ key: KeyConfig | null; admin: boolean }> {
    const now = (this.o.now ?? Date.now)();
    const hit = this.keys.get(token);
    if (hit && now - hit.atMs < (this.o.keyTtlMs ?? 10_000)) return hit;
    const rec = await this.store.verifyToken(token);
    // Agent tokens run nodes, not traffic; a token without a tenant (staff) bills the default tenant.
    const staff = rec !== null && rec.tenant === null && (rec.role === 'admin' || rec.role === 'operator');
    const key: KeyConfig | null = rec && rec.role !== 'agent' ? { key: token, id: rec.id, tenant: rec.tenant ?? 'default', priority: 'normal', limits: {}, ...(staff ? { allTenants: true } : {}) } : null;
    const entry = { key, admin: rec !== null && (rec.role === 'admin' || rec.role === 'operator'), atMs: now };
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(token, entry);
    return entry;
  }

  /** Fills predicted timing and max batch from the performance model, once per replica. */
  private withPrediction(r: ReplicaSpec): ReplicaSpec {
    const key = `${r.id}|${r.url}`;
    const hit = this.predicted.get(key);
    if (hit) return hit;
    const spec = this.catalog ? (withPerfPredictions({ ...this.gateway.currentConfig, replicas: [r] }, this.catalog, findModelPreset).config.replicas[0] ?? r) : r;
    this.predicted.set(key, spec);
    return spec;
  }
}

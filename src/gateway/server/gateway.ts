import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { GatewayConfig, KeyConfig } from '../config/load.js';
import type { ReplicaSpec } from '../config/schema.js';
import { readBody } from '../http/body.js';
import { RateLimits, OverloadGuard, type Subject } from '../limits/index.js';
import { badRequest, OpenAiError, OpenAiErrorType, sendError } from '../openai/errors.js';
import { API_PATHS, parseRequest, type ApiKind, type ParsedRequest } from '../openai/request.js';
import { attempt, type Upstream } from '../proxy/attempt.js';
import { ReplicaState, Router, StaticReplicaSource, type ReplicaSource } from '../routing/index.js';
import { DemandMeter, ServiceMeter, TrafficMeter, type DemandBucket, UsageLedger, type SloTargets, type TrafficBucket, type TrafficSample, type UsageReport, type UsageRow } from '../usage/index.js';
import { checkHealth } from './health.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';

export interface GatewayDeps {
  /** Replicas; default: the config's static list. */
  source?: ReplicaSource;
  /** Wall clock in ms (rate limits, ejection, usage); injected for tests. */
  nowMs?: () => number;
  /** Run active health checks (default true). */
  healthChecks?: boolean;
  /** Usage rows saved by an earlier run, to continue the totals. */
  restoredUsage?: readonly UsageRow[];
  /**
   * Keys beyond the config's own: resolves a bearer token (e.g. a control plane API token) to the
   * key and tenant it stands for, or null when unknown. With it, every request needs a key.
   */
  resolveKey?: (token: string) => Promise<KeyConfig | null>;
  /** The SLO a model's service promises (TTFT and TPOT objectives), for per-minute attainment; default: none judged. */
  /** The SLO a request served by `service`'s replica (or, outside services, for `model`) is judged against. */
  sloFor?: (service: string, model: string) => SloTargets | null;
  /** Decides admin access (usage, replicas, metrics) for a bearer token beyond the config's admin key. */
  isAdmin?: (token: string) => Promise<boolean>;
}

interface Live {
  state: ReplicaState;
  upstream: Upstream;
}

export interface ReplicaView {
  id: string;
  model: string;
  chip: string;
  url: string;
  healthy: boolean;
  ejected: boolean;
  outstanding: number;
  /** Other clients' requests on the engine, from its last health check (another gateway, direct callers). */
  others: number;
  served: number;
  failed: number;
  observedTtftMs: number | null;
  observedTpotMs: number | null;
}

const ANONYMOUS: KeyConfig = { key: '', id: 'anonymous', tenant: 'anonymous', priority: 'normal', limits: {} };

/**
 * The inference gateway: an OpenAI-compatible front over replicas on different chips. `handle`
 * can be mounted on any node:http server (the control plane mounts it); `listen` runs it alone.
 */
export class Gateway {
  private readonly live = new Map<string, Live>();
  private router: Router;
  private readonly limits: RateLimits;
  private overload: OverloadGuard;
  private readonly usageLedger: UsageLedger;
  private readonly traffic: TrafficMeter;
  private readonly serviceMeter: ServiceMeter;
  private readonly demand: DemandMeter;
  private readonly resolveKey: ((token: string) => Promise<KeyConfig | null>) | null;
  private readonly isAdmin: ((token: string) => Promise<boolean>) | null;
  private readonly source: ReplicaSource;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private healthTimer: NodeJS.Timeout | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  readonly metrics: GatewayMetrics;

  private readonly ownSource: StaticReplicaSource | null;
  private readonly healthChecks: boolean;
  /** Replicas whose engine has no /metrics (asked once). */
  private readonly noMetrics = new Set<string>();

  constructor(
    private config: GatewayConfig,
    deps: GatewayDeps = {},
  ) {
    this.now = deps.nowMs ?? Date.now;
    this.ownSource = deps.source ? null : new StaticReplicaSource(config.replicas);
    this.source = deps.source ?? (this.ownSource as StaticReplicaSource);
    this.healthChecks = deps.healthChecks !== false;
    this.router = new Router(config.routing);
    this.limits = new RateLimits(this.now);
    this.overload = new OverloadGuard(config.overload);
    this.usageLedger = new UsageLedger(this.now);
    this.traffic = new TrafficMeter(this.now);
    this.serviceMeter = new ServiceMeter(this.now, deps.sloFor);
    this.demand = new DemandMeter(this.now);
    this.resolveKey = deps.resolveKey ?? null;
    this.isAdmin = deps.isAdmin ?? null;
    this.metrics = createGatewayMetrics(() => [...this.live.values()].map((l) => l.state), this.now);
    if (deps.restoredUsage) this.usageLedger.restore(deps.restoredUsage);
    this.sync(this.source.current());
    this.unsubscribe = this.source.subscribe((r) => this.sync(r));
    this.startHealthChecks();
  }

  /** The configuration in force. */
  get currentConfig(): GatewayConfig {
    return this.config;
  }

  /**
   * Applies a new configuration without dropping requests in flight: routing, limits, tenants and
   * keys change at once; replicas are added, removed or re-pointed (when the gateway owns its
   * static replica list); replicas that stay keep their live state.
   */
  reload(config: GatewayConfig): void {
    const inFlight = this.overload;
    this.config = config;
    this.router = new Router(config.routing);
    this.overload = new OverloadGuard(config.overload, inFlight);
    this.ownSource?.replace(config.replicas);
    this.startHealthChecks();
  }

  private startHealthChecks(): void {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    if (!this.healthChecks) return;
    this.healthTimer = setInterval(() => void this.checkAll(), this.config.health.intervalMs);
    this.healthTimer.unref();
  }

  /** Request handler for mounting on an existing server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = performance.now();
    this.route(req, res, t0).catch((e: unknown) => {
      sendError(res, e instanceof OpenAiError ? e : new OpenAiError(500, 'The gateway failed on this request.', OpenAiErrorType.server, 'internal_error'));
    });
  };

  async listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
    const server = createServer({ keepAliveTimeout: 65_000 }, this.handle);
    server.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const p = (server.address() as AddressInfo).port;
    return { url: `http://${host}:${p}`, port: p };
  }

  async close(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.unsubscribe();
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of this.sockets) s.destroy();
        }, 2000).unref();
      });
    }
    for (const l of this.live.values()) l.upstream.agent.destroy();
  }

  usage(): UsageReport {
    const perChip = new Map<string, number>();
    for (const l of this.live.values()) perChip.set(l.state.spec.chip, (perChip.get(l.state.spec.chip) ?? 0) + 1);
    return this.usageLedger.report(perChip, this.config.pricesCnyPerHour);
  }

  /** Usage counted since the previous call (for storing); `undrainUsage` puts back what failed to store. */
  drainUsage(): UsageRow[] {
    return this.usageLedger.drain();
  }

  undrainUsage(rows: readonly UsageRow[]): void {
    this.usageLedger.undrain(rows);
  }

  /** Per-minute traffic, latency and SLO buckets since the previous call (for storing); `undrainServiceTraffic` puts back what failed. */
  drainServiceTraffic(): TrafficBucket[] {
    return this.serviceMeter.drain();
  }

  /** Per-minute demand per service in the planner's size cells since the previous call (for storing); `undrainDemand` puts back what failed. */
  drainDemand(): DemandBucket[] {
    return this.demand.drain();
  }

  undrainDemand(rows: readonly DemandBucket[]): void {
    this.demand.undrain(rows);
  }

  undrainServiceTraffic(rows: readonly TrafficBucket[]): void {
    this.serviceMeter.undrain(rows);
  }

  /**
   * Requests admitted for `model` within the last `windowMs` (arrival time, prompt and max output
   * tokens): those of one tenant's keys, or of every tenant, oldest first.
   */
  recentTraffic(model: string, windowMs?: number, tenant?: string): TrafficSample[] {
    if (tenant !== undefined) return this.traffic.recent(trafficKey(tenant, model), windowMs);
    const keys = this.traffic.models().filter((k) => k.slice(k.indexOf('\u0000') + 1) === model);
    return keys.flatMap((k) => this.traffic.recent(k, windowMs)).sort((a, b) => a.atMs - b.atMs);
  }

  /** The one service whose replicas serve `model` to this key, when there is exactly one ('' otherwise). */
  private soleService(key: KeyConfig, model: string): string {
    const services = new Set([...this.live.values()].filter((l) => l.state.spec.model === model && reachable(key, l.state.spec)).map((l) => l.state.spec.service ?? ''));
    return services.size === 1 ? ([...services][0] as string) : '';
  }

  replicas(): ReplicaView[] {
    const t = this.now();
    return [...this.live.values()].map(({ state: s }) => ({
      id: s.spec.id,
      model: s.spec.model,
      chip: s.spec.chip,
      url: s.spec.url,
      healthy: s.healthy,
      ejected: t < s.ejectedUntilMs,
      outstanding: s.outstanding,
      others: s.busy(t) - s.outstanding,
      served: s.served,
      failed: s.failed,
      observedTtftMs: s.ttftMs === null ? null : Math.round(s.ttftMs * 10) / 10,
      observedTpotMs: s.tpotMs === null ? null : Math.round(s.tpotMs * 100) / 100,
    }));
  }

  /** Runs one round of active health checks now (also on a timer). */
  async checkAll(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map(async ({ state, upstream }) => {
        const h = await checkHealth(upstream.host, upstream.port, upstream.agent, this.config.health.timeoutMs, !this.noMetrics.has(state.spec.id));
        if (h.ok && !state.healthy) state.consecutiveFailures = 0;
        state.healthy = h.ok;
        // Engines without /metrics are not asked again; the load others put on the engine counts in routing.
        if (h.ok && h.load === null && !h.metrics) this.noMetrics.add(state.spec.id);
        state.noteEngineLoad(h.load, this.now());
      }),
    );
  }

  private sync(replicas: readonly ReplicaSpec[]): void {
    const keep = new Set(replicas.map((r) => r.id));
    for (const [id, l] of this.live) {
      if (!keep.has(id)) {
        l.upstream.agent.destroy();
        this.live.delete(id);
      }
    }
    for (const spec of replicas) {
      const old = this.live.get(spec.id);
      if (old && old.state.spec.url === spec.url) {
        old.state.spec = spec;
        continue;
      }
      old?.upstream.agent.destroy();
      const u = new URL(spec.url);
      const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });
      this.live.set(spec.id, { state: new ReplicaState(spec), upstream: { host: u.hostname, port: Number(u.port || 80), agent, ...(spec.apiKey ? { apiKey: spec.apiKey } : {}) } });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, t0: number): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const kind = API_PATHS[path];
    if (kind && req.method === 'POST') return this.serve(req, res, kind, path, t0);
    if (req.method === 'GET' && path === '/v1/models') {
      const key = await this.authenticate(req);
      return json(res, 200, this.models(key));
    }
    if (req.method === 'GET' && (path === '/health' || path === '/healthz')) {
      const up = [...this.live.values()].some((l) => l.state.available(this.now()));
      return json(res, up ? 200 : 503, { status: up ? 'ok' : 'no healthy replica', replicas: this.live.size });
    }
    if (req.method === 'GET' && path === '/metrics') {
      await this.authorizeAdmin(req);
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (req.method === 'GET' && path.startsWith('/admin/')) {
      await this.authorizeAdmin(req);
      if (path === '/admin/usage') return json(res, 200, this.usage());
      if (path === '/admin/replicas') return json(res, 200, { replicas: this.replicas() });
    }
    if (kind) throw new OpenAiError(405, `Use POST for ${path}.`, OpenAiErrorType.invalidRequest, 'method_not_allowed');
    throw new OpenAiError(404, `Unknown path ${path}.`, OpenAiErrorType.notFound, 'unknown_url');
  }

  private models(key: KeyConfig): unknown {
    const byModel = new Map<string, Set<string>>();
    const t = this.now();
    for (const { state } of this.live.values()) {
      if (!state.available(t) || !reachable(key, state.spec)) continue;
      const chips = byModel.get(state.spec.model) ?? new Set<string>();
      chips.add(state.spec.chip);
      byModel.set(state.spec.model, chips);
    }
    const created = Math.floor(t / 1000);
    return { object: 'list', data: [...byModel].sort(([a], [b]) => a.localeCompare(b)).map(([id, chips]) => ({ id, object: 'model', created, owned_by: 'tessera', tessera: { chips: [...chips].sort() } })) };
  }

  private async authenticate(req: IncomingMessage): Promise<KeyConfig> {
    if (this.config.keys.size === 0 && !this.resolveKey) return ANONYMOUS;
    const token = bearer(req);
    if (token === null) throw new OpenAiError(401, 'Missing API key: send it as "Authorization: Bearer <key>".', OpenAiErrorType.authentication, 'missing_api_key');
    const key = this.config.keys.get(token) ?? (this.resolveKey ? await this.resolveKey(token) : undefined);
    if (!key) throw new OpenAiError(401, 'Incorrect API key provided.', OpenAiErrorType.authentication, 'invalid_api_key');
    return key;
  }

  private async authorizeAdmin(req: IncomingMessage): Promise<void> {
    if (this.config.adminKey === null && !this.isAdmin) return;
    const token = bearer(req);
    if (token !== null && token === this.config.adminKey) return;
    if (token === null || !this.isAdmin || !(await this.isAdmin(token))) throw new OpenAiError(403, 'The admin endpoints need the admin key.', OpenAiErrorType.permission, 'forbidden');
  }

  private async serve(req: IncomingMessage, res: ServerResponse, kind: ApiKind, path: string, t0: number): Promise<void> {
    const key = await this.authenticate(req);
    const rawBody = await readBody(req, this.config.limits.maxBodyBytes);
    const parsed = parseRequest(kind, rawBody);
    if (parsed.promptTokens > this.config.limits.maxPromptTokens) {
      throw badRequest(`The prompt is about ${parsed.promptTokens} tokens, more than this gateway accepts (${this.config.limits.maxPromptTokens}).`, kind === 'chat' ? 'messages' : kind === 'completion' ? 'prompt' : 'input', 'context_length_exceeded');
    }
    const all = [...this.live.values()];
    // Another tenant's replicas are invisible: its model "does not exist" for this key.
    const ofModel = all.filter((l) => l.state.spec.model === parsed.model && reachable(key, l.state.spec));
    if (ofModel.length === 0) throw new OpenAiError(404, `The model '${parsed.model}' does not exist or has no replicas.`, OpenAiErrorType.notFound, 'model_not_found', 'model');
    const tenant = this.config.tenants.find((t) => t.id === key.tenant);
    const subjects: Subject[] = [{ id: `key:${key.id}`, limits: key.limits }];
    if (tenant) subjects.push({ id: `tenant:${tenant.id}`, limits: tenant.limits });
    const estimate = parsed.promptTokens + parsed.maxTokens;
    const admission = this.limits.admit(subjects, estimate);
    if (!admission.ok && admission.refusedBy) {
      const r = admission.refusedBy;
      const sec = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
      this.metrics.rateLimited.inc({ limit: r.limit });
      throw new OpenAiError(429, `Rate limit reached for ${r.subject} on ${r.limit}; retry in ${sec} s.`, OpenAiErrorType.rateLimit, r.limit === 'tokensPerMin' ? 'tokens_rate_limit_exceeded' : 'requests_rate_limit_exceeded').withHeader('retry-after', String(sec));
    }
    this.traffic.record(trafficKey(key.tenant, parsed.model), parsed.promptTokens, parsed.maxTokens);
    const t = this.now();
    const capacity = ofModel.reduce((a, l) => a + (l.state.available(t) ? l.state.capacity : 0), 0);
    // One overload queue per pool of replicas: the shared ones, or a tenant's own.
    const pool = ofModel.every((l) => l.state.spec.tenant === undefined) ? parsed.model : trafficKey(key.tenant, parsed.model);
    if (!this.overload.tryEnter(pool, key.priority, capacity)) {
      // Shed demand is demand: the autoscaler must see it to add capacity.
      this.demand.record(this.soleService(key, parsed.model), parsed.model, parsed.promptTokens, parsed.maxTokens);
      admission.settle(0);
      this.metrics.shed.inc({ priority: key.priority });
      sendError(res, new OpenAiError(503, `The service for '${parsed.model}' is overloaded; ${key.priority}-priority requests are shed first. Retry shortly.`, OpenAiErrorType.server, 'overloaded'), { 'retry-after': '1' });
      return;
    }
    try {
      await this.forward(req, res, parsed, rawBody, path, key, t0, (actual) => admission.settle(actual));
    } finally {
      this.overload.release(pool);
    }
  }

  private async forward(req: IncomingMessage, res: ServerResponse, p: ParsedRequest, rawBody: Buffer, path: string, key: KeyConfig, t0: number, settle: (actualTokens: number) => void): Promise<void> {
    const dropUsageChunk = p.stream && !p.includeUsage;
    // Ask a stream for its usage chunk so accounting uses the backend's own token counts.
    const raw = dropUsageChunk ? Buffer.from(JSON.stringify({ ...p.body, stream_options: { ...(p.body.stream_options as object | undefined), include_usage: true } })) : rawBody;
    const tried = new Set<string>();
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? `tsr-${++this.seq}`;
    let lastReason = 'no replica is available';
    let lastChip: string | null = null;
    let lastService: string | null = null;
    for (let i = 0; i <= this.config.routing.retries; i++) {
      const choice = this.router.choose(
        [...this.live.values()].filter((l) => reachable(key, l.state.spec)).map((l) => l.state),
        { model: p.model, sessionKey: p.sessionKey, workTokens: p.promptTokens + p.maxTokens, promptTokens: p.promptTokens, exclude: tried },
        this.now(),
      );
      if (i === 0) this.demand.record(choice?.replica.spec.service ?? this.soleService(key, p.model), p.model, p.promptTokens, p.maxTokens);
      if (!choice) break;
      const r = choice.replica;
      const live = this.live.get(r.spec.id);
      if (!live) break;
      tried.add(r.spec.id);
      lastChip = r.spec.chip;
      lastService = r.spec.service ?? '';
      const booking = r.begin(p.promptTokens, p.maxTokens, this.now(), p.sessionKey);
      const prefillDone = (): void => r.firstToken(booking, this.now());
      const startedAt = performance.now();
      const result = await attempt(
        {
          upstream: live.upstream,
          path,
          body: raw,
          stream: p.stream,
          dropUsageChunk,
          timeoutMs: this.config.limits.upstreamTimeoutMs,
          requestId,
          now: () => performance.now(),
          onFirstByte: prefillDone,
          gatewayMs: (upstreamMs) => performance.now() - t0 - upstreamMs,
          headers: (upstreamMs) => ({ 'x-tessera-replica': r.spec.id, 'x-tessera-chip': r.spec.chip, 'x-tessera-gateway-ms': (performance.now() - t0 - upstreamMs).toFixed(3), 'x-request-id': requestId }),
        },
        res,
        // Ended however the attempt ends (a throw included), so the replica's books never leak work.
      ).finally(() => r.end(booking));
      if (result.kind === 'ok') {
        r.served += 1;
        r.consecutiveFailures = 0;
        r.ejections = 0;
        if (result.status === 200) {
          const obsTtft = result.ttftMs ?? (result.tpotMs !== null ? Math.max(0, performance.now() - startedAt - r.predictedTpotMs() * Math.max(0, result.completionTokens - 1)) : null);
          r.observe(booking, obsTtft, result.tpotMs, this.config.routing.ewmaAlpha);
          this.serviceMeter.record({ service: r.spec.service ?? '', model: p.model, chip: r.spec.chip, ok: true, ttftMs: obsTtft, tpotMs: result.tpotMs });
        } else this.serviceMeter.record({ service: r.spec.service ?? '', model: p.model, chip: r.spec.chip, ok: result.status < 400, ttftMs: null, tpotMs: null });
        const prompt = result.promptTokens ?? (result.status === 200 ? p.promptTokens : 0);
        settle(prompt + result.completionTokens);
        this.usageLedger.record(key.tenant, p.model, r.spec.chip, prompt, result.completionTokens, result.status < 400);
        this.countServed(key.tenant, p.model, r.spec.chip, String(result.status), prompt, result.completionTokens);
        if (result.ttftMs !== null) this.metrics.ttftSeconds.observe({ model: p.model, chip: r.spec.chip }, result.ttftMs / 1000);
        this.metrics.overheadSeconds.observe(result.gatewayMs / 1000);
        return;
      }
      if (result.kind === 'client-gone') {
        settle(p.promptTokens);
        return;
      }
      this.fail(r);
      if (result.kind === 'broken') {
        settle(p.promptTokens + result.completionTokens);
        this.usageLedger.record(key.tenant, p.model, r.spec.chip, p.promptTokens, result.completionTokens, false);
        this.countServed(key.tenant, p.model, r.spec.chip, 'broken', p.promptTokens, result.completionTokens);
        this.serviceMeter.record({ service: r.spec.service ?? '', model: p.model, chip: r.spec.chip, ok: false, ttftMs: null, tpotMs: null });
        return;
      }
      this.metrics.retries.inc({ replica: r.spec.id });
      lastReason = `${r.spec.id}: ${result.reason}`;
    }
    settle(0);
    const attempts = tried.size;
    // A request no replica answered is an error of the service; the chip is that of the last replica tried.
    this.serviceMeter.record({ service: lastService ?? this.soleService(key, p.model), model: p.model, chip: lastChip ?? 'none', ok: false, ttftMs: null, tpotMs: null });
    throw new OpenAiError(attempts === 0 ? 503 : 502, attempts === 0 ? `No healthy replica serves '${p.model}' right now.` : `The request failed on ${attempts} replica${attempts === 1 ? '' : 's'}; last: ${lastReason}.`, OpenAiErrorType.server, attempts === 0 ? 'no_healthy_replica' : 'upstream_failed');
  }

  private countServed(tenant: string, model: string, chip: string, status: string, promptTokens: number, completionTokens: number): void {
    this.metrics.requests.inc({ model, chip, status });
    if (promptTokens > 0) this.metrics.tokens.inc({ tenant, model, chip, kind: 'prompt' }, promptTokens);
    if (completionTokens > 0) this.metrics.tokens.inc({ tenant, model, chip, kind: 'completion' }, completionTokens);
  }

  /** Passive outlier ejection: consecutive failures take a replica out for a while, longer each time. */
  private fail(r: ReplicaState): void {
    r.failed += 1;
    r.consecutiveFailures += 1;
    if (r.consecutiveFailures >= this.config.health.ejectAfterFailures) {
      r.ejectedUntilMs = this.now() + this.config.health.ejectMs * 2 ** Math.min(r.ejections, 5);
      r.ejections += 1;
      r.consecutiveFailures = 0;
    }
  }
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k : null;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const payload = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Whether a key may use a replica: replicas a tenant owns serve only that tenant's keys (and staff's). */
function reachable(key: KeyConfig, spec: ReplicaSpec): boolean {
  return spec.tenant === undefined || spec.tenant === key.tenant || key.allTenants === true;
}

/** Traffic is metered per tenant and model (NUL cannot occur in either). */
function trafficKey(tenant: string, model: string): string {
  return `${tenant}\u0000${model}`;
}

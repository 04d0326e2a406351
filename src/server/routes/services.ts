/** Inference services (replicas, SLO, endpoints), their traffic and SLO attainment, and usage. Members see their tenant's. */
import { Type } from '@sinclair/typebox';
import { summarizeTraffic } from '../../gateway/index.js';
import { TesseraError, notFound } from '../../lib/errors.js';
import { JobState, ServiceSpecSchema, normalizeServiceSpec, type JobSpec, type ServiceSpec, type ServiceSpecInput } from '../../workload/index.js';
import { agentOnly, canSee, principal, tenantScope, userRoles } from '../auth.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject, ErrorSchema, IdParams, errorResponses } from '../schemas.js';
import { resolveChips } from './jobs.js';

/** The job spec of replica `i` of a service. */
export function replicaJobSpec(s: ServiceSpec, i: number): JobSpec {
  return {
    name: `${s.name}-${i}`,
    kind: 'inference',
    command: s.command,
    env: { TESSERA_SERVICE: s.name, TESSERA_MODEL: s.model.name },
    image: s.image,
    images: s.images,
    resources: { count: s.cardsPerReplica, milliPerCard: s.milliPerCard, gang: s.cardsPerReplica > 1, chips: s.chips, cpuMilli: null, memoryMiB: null },
    tenant: s.tenant,
    queue: s.queue,
    priority: s.priority,
    // A replica is kept alive by the service, so it retries for as long as the service lives.
    retry: { maxAttempts: 100, backoff: { initialSec: 5, factor: 2, maxSec: 300 } },
    model: { name: s.model.name, ...(s.model.paramsB !== undefined ? { paramsB: s.model.paramsB } : {}) },
    estimatedDurationSec: null,
    minRuntimeSec: null,
    labels: { service: s.name },
  };
}

/** Replica `i` of a service pinned to one chip (the autoscaler's per-chip mix). */
export function pinnedReplicaJobSpec(s: ServiceSpec, chip: string, i: number): JobSpec {
  const base = replicaJobSpec(s, i);
  return { ...base, resources: { ...base.resources, chips: { kind: 'pinned', chip } } };
}

const NullableMs = Type.Union([Type.Number(), Type.Null()]);
const TrafficFiguresProps = {
  requests: Type.Integer(),
  errors: Type.Integer(),
  requestsPerSec: Type.Number(),
  p50TtftMs: NullableMs,
  p95TtftMs: NullableMs,
  p50TpotMs: NullableMs,
  p95TpotMs: NullableMs,
  sloAttainment: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'fraction of judged requests meeting every SLO objective; null when none was judged' }),
  sloJudged: Type.Integer(),
};
export const ServiceTrafficSchema = Type.Object(
  {
    serviceId: Type.String(),
    model: Type.String(),
    slo: Type.Object({ ttftMsP99: Type.Optional(Type.Number()), tpotMsP99: Type.Optional(Type.Number()) }),
    fromMs: Type.Integer(),
    toMs: Type.Integer(),
    windowMin: Type.Integer(),
    total: Type.Object(TrafficFiguresProps),
    perChip: Type.Array(Type.Object({ chip: Type.String(), ...TrafficFiguresProps })),
    series: Type.Array(Type.Object({ minuteMs: Type.Integer(), ...TrafficFiguresProps })),
  },
  { description: 'Traffic through the gateway, TTFT/TPOT percentiles (upper bounds of fixed histogram buckets) and SLO attainment' },
);

export function serviceRoutes(ctx: ServerContext): RouteDef[] {
  const serviceView = async (id: string) => {
    const svc = await ctx.store.getService(id);
    if (!svc) return null;
    const replicas = await ctx.store.listJobs({ serviceId: id, limit: 1000, offset: 0 });
    const urls = new Map((await ctx.store.replicaEndpoints(svc.tenant)).filter((e) => e.serviceId === id).map((e) => [e.jobId, e]));
    const live = replicas.items.filter((j) => j.state === JobState.running || j.state === JobState.scheduled || j.state === JobState.pending || j.state === JobState.admitted);
    return {
      ...svc,
      readyReplicas: live.filter((j) => j.state === JobState.running).length,
      replicas: live.map((j) => ({ jobId: j.id, state: j.state, chip: j.chip, nodes: j.placements.map((p) => p.nodeId) })),
      endpoints: live.filter((j) => j.state === JobState.running).map((j) => ({ jobId: j.id, chip: j.chip, node: j.placements[0]?.nodeId ?? null, url: urls.get(j.id)?.url ?? null, simulated: urls.get(j.id)?.simulated ?? null })),
    };
  };
  return [
    route({
      method: 'POST',
      url: '/api/v1/services',
      summary: 'Create an inference service; each replica runs as an inference job',
      tag: 'services',
      access: userRoles,
      body: ServiceSpecSchema,
      responses: { 201: AnyObject, ...errorResponses, 422: ErrorSchema },
      handler: async (req, reply) => {
        const p = principal(req);
        const input = req.body as ServiceSpecInput;
        if (p.role === 'member' && input.tenant !== undefined && input.tenant !== p.tenant) throw new TesseraError('forbidden', `a member of tenant ${p.tenant} cannot create services for tenant ${input.tenant}`);
        const spec = normalizeServiceSpec({ ...input, ...(p.role === 'member' ? { tenant: p.tenant ?? undefined } : {}) });
        spec.chips = resolveChips(ctx, spec.chips, '/chips');
        const svc = await ctx.store.createService(spec, p, (i) => replicaJobSpec(spec, i));
        ctx.poke();
        return reply.status(201).send(await serviceView(svc.id));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/services',
      summary: 'List inference services',
      tag: 'services',
      access: userRoles,
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => {
        const tenant = tenantScope(principal(req));
        const items = await ctx.store.listServices(tenant);
        return { items: await Promise.all(items.map((s) => serviceView(s.id))), total: items.length };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/services/:id',
      summary: 'One inference service with its replicas and endpoints',
      tag: 'services',
      access: userRoles,
      params: IdParams,
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const svc = await ctx.store.getService(id);
        if (!svc || !canSee(principal(req), svc.tenant)) throw notFound(`service ${id} not found`);
        return serviceView(id);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/services/:id/traffic',
      summary: "A service's traffic through the gateway over the last `windowMin` minutes: requests/s, errors, p50/p95 TTFT and TPOT, SLO attainment, in total, per chip and per minute",
      tag: 'services',
      access: userRoles,
      params: IdParams,
      query: Type.Object({ windowMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, default: 15 })) }, { additionalProperties: false }),
      responses: { 200: ServiceTrafficSchema, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const windowMin = (req.query as { windowMin?: number }).windowMin ?? 15;
        const svc = await ctx.store.getService(id);
        if (!svc || !canSee(principal(req), svc.tenant)) throw notFound(`service ${id} not found`);
        const nowMs = ctx.now();
        const sinceMs = (Math.floor(nowMs / 60_000) - (windowMin - 1)) * 60_000;
        const rows = await ctx.store.serviceTraffic(svc.id, sinceMs);
        const slo = svc.spec.slo;
        return {
          serviceId: id,
          model: svc.spec.model.name,
          slo: { ...(slo.ttftMsP99 !== undefined ? { ttftMsP99: slo.ttftMsP99 } : {}), ...(slo.tpotMsP99 !== undefined ? { tpotMsP99: slo.tpotMsP99 } : {}) },
          ...summarizeTraffic(rows, nowMs, windowMin),
        };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/services/:id',
      summary: 'Delete an inference service (cancels its replicas)',
      tag: 'services',
      access: userRoles,
      params: IdParams,
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const p = principal(req);
        const id = (req.params as { id: string }).id;
        const svc = await ctx.store.getService(id);
        if (!svc || !canSee(p, svc.tenant)) throw notFound(`service ${id} not found`);
        const out = await ctx.store.deleteService(id, p);
        ctx.poke();
        return out;
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/services/:id',
      summary: 'Scale an inference service: `replicas` (the loop starts missing ones; scaling down cancels the newest) or `mix`, replicas per chip',
      tag: 'services',
      access: userRoles,
      params: IdParams,
      body: Type.Union([
        Type.Object({ replicas: Type.Integer({ minimum: 0, maximum: 1024 }) }, { additionalProperties: false }),
        Type.Object({ mix: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0, maximum: 1024 }), { description: 'replicas per chip id; each new replica is pinned to its chip' }) }, { additionalProperties: false }),
      ]),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const p = principal(req);
        const id = (req.params as { id: string }).id;
        const svc = await ctx.store.getService(id);
        if (!svc || !canSee(p, svc.tenant)) throw notFound(`service ${id} not found`);
        const body = req.body as { replicas: number } | { mix: Record<string, number> };
        if ('mix' in body) {
          const mix: Record<string, number> = {};
          for (const [chip, n] of Object.entries(body.mix)) {
            const r = resolveChips(ctx, { kind: 'pinned', chip }, `/mix/${chip}`);
            mix[r.kind === 'pinned' ? r.chip : chip] = n;
          }
          await ctx.store.applyServiceMix(id, mix, (chip, i) => pinnedReplicaJobSpec(svc.spec, chip, i), p, { action: 'set', reason: `replica mix set by ${p.id}` });
        } else await ctx.store.scaleService(id, body.replicas, p);
        ctx.poke();
        return serviceView(id);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/agent/replicas/:id/endpoint',
      summary: 'An agent reports where an inference replica it runs answers (an OpenAI-compatible base URL)',
      tag: 'services',
      access: agentOnly,
      params: IdParams,
      body: Type.Object({ attempt: Type.Integer({ minimum: 1 }), url: Type.String({ pattern: '^https?://[^/\\s]+/?$', maxLength: 256 }), simulated: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const b = req.body as { attempt: number; url: string; simulated?: boolean };
        const p = principal(req);
        const job = await ctx.store.getJob(id);
        if (!job) throw notFound(`job ${id} not found`);
        // A node-bound agent token may only speak for replicas placed on its node.
        if (p.token.nodeId !== null && !job.placements.some((pl) => pl.nodeId === p.token.nodeId)) throw new TesseraError('forbidden', `job ${id} does not run on node ${p.token.nodeId}`);
        await ctx.store.setReplicaEndpoint(id, { attempt: b.attempt, url: b.url.replace(/\/$/, ''), simulated: b.simulated === true }, p);
        return { jobId: id, url: b.url };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/replicas',
      summary: 'Endpoints of running inference replicas (what a gateway routes to)',
      tag: 'services',
      access: userRoles,
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => ({ items: await ctx.store.replicaEndpoints(tenantScope(principal(req))) }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/usage',
      summary: 'Card-seconds used per tenant and chip, and tokens served through the gateway per tenant, model and chip',
      tag: 'services',
      access: userRoles,
      query: Type.Object({ tenant: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => {
        const tenant = tenantScope(principal(req), (req.query as { tenant?: string }).tenant);
        const [items, tokens] = await Promise.all([ctx.store.usage(tenant), ctx.store.tokenUsage(tenant)]);
        return { items, unit: 'card-seconds', tokens };
      },
    }),
  ];
}

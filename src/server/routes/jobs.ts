/** Jobs: submit (idempotent), list, get, cancel, explain, logs. Members see only their tenant's. */
import { Type } from '@sinclair/typebox';
import { TesseraError, ValidationError, notFound, type ValidationIssue } from '../../lib/errors.js';
import type { JobRecord } from '../../store/index.js';
import { JobKind, JobSpecSchema, JobState, isJobState, normalizeJobSpec, semanticIssues, type ChipRequest, type JobSpec, type JobSpecInput } from '../../workload/index.js';
import { canSee, principal, tenantScope, userRoles, type Principal } from '../auth.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject, ErrorSchema, IdParams, JobSchema, PageQuery, errorResponses, pageOf } from '../schemas.js';
import { jobView } from '../views.js';

const IdempotencyKey = /^[\x21-\x7e]{1,200}$/;

/** Canonical chip ids for the request (aliases resolved); 422 naming the field for unknown chips. */
export function resolveChips(ctx: ServerContext, chips: ChipRequest, base: string): ChipRequest {
  const catalog = ctx.catalog;
  if (!catalog) return chips;
  const one = (id: string, path: string): string => {
    const chip = catalog.tryResolve(id);
    if (!chip) throw new TesseraError('infeasible', `${path}: unknown chip '${id}'`, { context: { path } });
    return chip.id;
  };
  if (chips.kind === 'pinned') return { kind: 'pinned', chip: one(chips.chip, `${base}/chip`) };
  if (chips.kind === 'any-of') return { kind: 'any-of', chips: chips.chips.map((c, i) => one(c, `${base}/chips/${i}`)) };
  return chips;
}

export async function visibleJob(ctx: ServerContext, p: Principal, id: string): Promise<JobRecord> {
  const job = await ctx.store.getJob(id);
  if (!job || !canSee(p, job.tenant)) throw notFound(`job ${id} not found`);
  return job;
}

/** Applies the caller's tenant to a submission: members may only submit to their own. */
export function ownedSpec(p: Principal, input: JobSpecInput): JobSpec {
  const issues: ValidationIssue[] = semanticIssues(input);
  if (issues.length > 0) throw new ValidationError('invalid job spec', issues);
  if (p.role === 'member') {
    if (input.tenant !== undefined && input.tenant !== p.tenant) throw new TesseraError('forbidden', `a member of tenant ${p.tenant} cannot submit to tenant ${input.tenant}`);
    return normalizeJobSpec({ ...input, tenant: p.tenant ?? undefined });
  }
  return normalizeJobSpec(input);
}

function explainJob(job: JobRecord, nowMs: number): { summary: string; reasons: { plugin: string; reason: string }[] } {
  switch (job.state) {
    case JobState.pending:
      if (job.notBeforeMs !== null && job.notBeforeMs > nowMs) {
        return { summary: `backing off after an interruption; eligible again in ${Math.ceil((job.notBeforeMs - nowMs) / 1000)} s`, reasons: [{ plugin: 'retry-backoff', reason: job.reason ?? 'interrupted' }] };
      }
      return { summary: 'waiting for admission within its tenant quota', reasons: job.explain ?? [{ plugin: 'admission', reason: 'not yet considered by the scheduling loop' }] };
    case JobState.admitted:
      return { summary: 'admitted; waiting for cards', reasons: job.explain ?? [{ plugin: 'scheduler', reason: 'not yet considered by a scheduling cycle' }] };
    case JobState.scheduled:
      return { summary: `bound to ${job.chip} on ${job.placements.map((p) => p.nodeId).join(', ')}; waiting for the agent to start it`, reasons: [] };
    case JobState.running:
      return { summary: `running on ${job.chip} (${job.placements.map((p) => `${p.nodeId}[${p.devices.join(',')}]`).join(' ')})`, reasons: [] };
    default:
      return { summary: `${job.state}${job.reason ? `: ${job.reason}` : ''}`, reasons: [] };
  }
}

export function jobRoutes(ctx: ServerContext): RouteDef[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/jobs',
      summary: 'Submit a job (idempotent with an Idempotency-Key header)',
      tag: 'jobs',
      access: userRoles,
      body: JobSpecSchema,
      responses: { 201: JobSchema, 200: Type.Ref('Job', { description: 'Same Idempotency-Key and spec: the job created before' }), ...errorResponses, 409: ErrorSchema, 413: ErrorSchema, 422: ErrorSchema },
      handler: async (req, reply) => {
        const p = principal(req);
        const keyHeader = req.headers['idempotency-key'];
        const key = typeof keyHeader === 'string' ? keyHeader : undefined;
        if (keyHeader !== undefined && (key === undefined || !IdempotencyKey.test(key))) {
          throw new ValidationError('invalid header', [{ path: '/headers/idempotency-key', message: 'Idempotency-Key must be 1-200 printable ASCII characters' }]);
        }
        const spec = ownedSpec(p, req.body as JobSpecInput);
        spec.resources.chips = resolveChips(ctx, spec.resources.chips, '/resources/chips');
        const { job, created } = await ctx.store.submitJob(spec, { actor: p, ...(key ? { idempotencyKey: key } : {}) });
        if (created) ctx.poke();
        return reply.status(created ? 201 : 200).send(jobView(job));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/jobs',
      summary: 'List jobs, newest first',
      tag: 'jobs',
      access: userRoles,
      query: Type.Object(
        {
          ...PageQuery,
          state: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated states' })),
          tenant: Type.Optional(Type.String({ maxLength: 64 })),
          queue: Type.Optional(Type.String({ maxLength: 64 })),
          kind: Type.Optional(Type.Union(Object.values(JobKind).map((k) => Type.Literal(k)))),
          service: Type.Optional(Type.String({ maxLength: 128 })),
          node: Type.Optional(Type.String({ maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
      responses: { 200: pageOf(Type.Ref('Job')), ...errorResponses },
      handler: async (req) => {
        const q = req.query as { limit?: number; offset?: number; state?: string; tenant?: string; queue?: string; kind?: JobKind; service?: string; node?: string };
        const p = principal(req);
        const states = q.state ? q.state.split(',').map((s) => s.trim()) : undefined;
        const bad = states?.findIndex((s) => !isJobState(s)) ?? -1;
        if (states && bad >= 0) throw new ValidationError('invalid query', [{ path: '/state', message: `unknown state '${states[bad]}'` }]);
        const tenant = tenantScope(p, q.tenant);
        const page = await ctx.store.listJobs({
          limit: q.limit ?? 50,
          offset: q.offset ?? 0,
          ...(tenant !== undefined ? { tenant } : {}),
          ...(states ? { states: states as JobState[] } : {}),
          ...(q.queue !== undefined ? { queue: q.queue } : {}),
          ...(q.kind !== undefined ? { kind: q.kind } : {}),
          ...(q.service !== undefined ? { serviceId: q.service } : {}),
          ...(q.node !== undefined ? { nodeId: q.node } : {}),
        });
        return { items: page.items.map(jobView), total: page.total };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/jobs/:id',
      summary: 'Get a job',
      tag: 'jobs',
      access: userRoles,
      params: IdParams,
      responses: { 200: Type.Ref('Job'), ...errorResponses, 404: ErrorSchema },
      handler: async (req) => jobView(await visibleJob(ctx, principal(req), (req.params as { id: string }).id)),
    }),
    ...['POST /api/v1/jobs/:id/cancel', 'DELETE /api/v1/jobs/:id'].map((spec) => {
      const [method, url] = spec.split(' ') as ['POST' | 'DELETE', string];
      return route({
        method,
        url,
        summary: 'Cancel a job (releases its cards; agents are told to stop it)',
        tag: 'jobs',
        access: userRoles,
        params: IdParams,
        ...(method === 'POST' ? { body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })) } : {}),
        responses: { 200: Type.Ref('Job'), ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
        handler: async (req) => {
          const p = principal(req);
          const job = await visibleJob(ctx, p, (req.params as { id: string }).id);
          const reason = (req.body as { reason?: string } | undefined)?.reason;
          const cancelled = await ctx.store.cancelJob(job.id, p, reason);
          ctx.poke();
          return jobView(cancelled);
        },
      });
    }),
    route({
      method: 'GET',
      url: '/api/v1/jobs/:id/explain',
      summary: 'Why a job waits (per scheduler plugin), or where it runs',
      tag: 'jobs',
      access: userRoles,
      params: IdParams,
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const job = await visibleJob(ctx, principal(req), (req.params as { id: string }).id);
        const fresh = job.state === JobState.pending || job.state === JobState.admitted ? ctx.explanation(job.id) : undefined;
        return { id: job.id, state: job.state, ...explainJob(fresh ? { ...job, explain: fresh } : job, ctx.now()) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/jobs/:id/logs',
      summary: 'Log lines of a job (latest attempt unless one is given; all ranks interleaved unless one is given), after a cursor',
      tag: 'jobs',
      access: userRoles,
      params: IdParams,
      query: Type.Object(
        {
          after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Cursor: the `next` of the previous page' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
          attempt: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          rank: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Only this node rank of a multi-node job' })),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const job = await visibleJob(ctx, principal(req), (req.params as { id: string }).id);
        const q = req.query as { after?: number; limit?: number; attempt?: number; rank?: number };
        const items = await ctx.store.readLogs(job.id, { after: q.after ?? 0, limit: q.limit ?? 1000, ...(q.attempt !== undefined ? { attempt: q.attempt } : {}), ...(q.rank !== undefined ? { nodeRank: q.rank } : {}) });
        const last = items[items.length - 1];
        return { items, next: last ? last.cursor : (q.after ?? 0), state: job.state };
      },
    }),
  ];
}

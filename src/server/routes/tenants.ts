/** Tenants, their queues and quotas; API tokens. Admins manage; members read their own tenant. */
import { Type } from '@sinclair/typebox';
import { TesseraError, notFound } from '../../lib/errors.js';
import { roles, type Role } from '../../store/index.js';
import { IdentSchema } from '../../workload/index.js';
import { adminOnly, principal, userRoles } from '../auth.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject, ErrorSchema, TenantSchema, errorResponses } from '../schemas.js';

const QuotaSchema = Type.Record(Type.String({ minLength: 1, maxLength: 64, description: 'Chip id, or * for all chips' }), Type.Integer({ minimum: 0, maximum: 10_000_000 }), {
  maxProperties: 128,
  description: 'Card quota per chip; * caps all chips together',
});
const TenantParams = Type.Object({ id: IdentSchema }, { additionalProperties: false });

export function tenantRoutes(ctx: ServerContext): RouteDef[] {
  const visibleTenant = (req: Parameters<RouteDef['handler']>[0], id: string): void => {
    const p = principal(req);
    if (p.role === 'member' && p.tenant !== id) throw notFound(`tenant ${id} not found`);
  };
  const checkQuota = (quota: Record<string, number> | undefined): Record<string, number> | undefined => {
    if (!quota || !ctx.catalog) return quota;
    const out: Record<string, number> = {};
    for (const [chip, cards] of Object.entries(quota)) {
      if (chip === '*') out[chip] = cards;
      else {
        const c = ctx.catalog.tryResolve(chip);
        if (!c) throw new TesseraError('infeasible', `/quota/${chip}: unknown chip '${chip}'`);
        out[c.id] = cards;
      }
    }
    return out;
  };
  return [
    route({
      method: 'GET',
      url: '/api/v1/tenants',
      summary: 'List tenants (members see their own)',
      tag: 'tenants',
      access: userRoles,
      responses: { 200: Type.Object({ items: Type.Array(TenantSchema) }), ...errorResponses },
      handler: async (req) => {
        const p = principal(req);
        const all = await ctx.store.listTenants();
        return { items: p.role === 'member' ? all.filter((t) => t.id === p.tenant) : all };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/tenants',
      summary: 'Create a tenant',
      tag: 'tenants',
      access: adminOnly,
      body: Type.Object({ id: IdentSchema, name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), quota: Type.Optional(QuotaSchema) }, { additionalProperties: false }),
      responses: { 201: TenantSchema, ...errorResponses, 409: ErrorSchema },
      handler: async (req, reply) => {
        const b = req.body as { id: string; name?: string; quota?: Record<string, number> };
        if (await ctx.store.getTenant(b.id)) throw new TesseraError('conflict', `tenant ${b.id} already exists`);
        const quota = checkQuota(b.quota);
        return reply.status(201).send(await ctx.store.upsertTenant({ id: b.id, ...(b.name ? { name: b.name } : {}), ...(quota ? { quota } : {}) }, principal(req)));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/tenants/:id',
      summary: 'Get a tenant with its queues',
      tag: 'tenants',
      access: userRoles,
      params: TenantParams,
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        visibleTenant(req, id);
        const t = await ctx.store.getTenant(id);
        if (!t) throw notFound(`tenant ${id} not found`);
        return { ...t, queues: await ctx.store.listQueues(id) };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/tenants/:id',
      summary: 'Create or update a tenant (name, quota)',
      tag: 'tenants',
      access: adminOnly,
      params: TenantParams,
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), quota: Type.Optional(QuotaSchema) }, { additionalProperties: false }),
      responses: { 200: TenantSchema, ...errorResponses },
      handler: async (req) => {
        const b = req.body as { name?: string; quota?: Record<string, number> };
        const quota = checkQuota(b.quota);
        return ctx.store.upsertTenant({ id: (req.params as { id: string }).id, ...(b.name ? { name: b.name } : {}), ...(quota ? { quota } : {}) }, principal(req));
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/tenants/:id',
      summary: 'Delete a tenant with no unfinished jobs (revokes its tokens)',
      tag: 'tenants',
      access: adminOnly,
      params: TenantParams,
      responses: { 204: 'Deleted', ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      handler: async (req, reply) => {
        const id = (req.params as { id: string }).id;
        if (id === 'default') throw new TesseraError('conflict', 'the default tenant cannot be deleted');
        await ctx.store.deleteTenant(id, principal(req));
        return reply.status(204).send();
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/tenants/:id/queues/:queue',
      summary: 'Create or update a queue of a tenant (weight, priority)',
      tag: 'tenants',
      access: adminOnly,
      params: Type.Object({ id: IdentSchema, queue: IdentSchema }, { additionalProperties: false }),
      body: Type.Object({ weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })), priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const prm = req.params as { id: string; queue: string };
        const b = req.body as { weight?: number; priority?: number };
        return ctx.store.upsertQueue({ tenant: prm.id, name: prm.queue, ...b }, principal(req));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/tokens',
      summary: 'List API tokens (never their secrets)',
      tag: 'tokens',
      access: adminOnly,
      responses: { 200: AnyObject, ...errorResponses },
      handler: async () => ({ items: await ctx.store.listTokens() }),
    }),
    route({
      method: 'POST',
      url: '/api/v1/tokens',
      summary: 'Create an API token; the secret is shown once',
      tag: 'tokens',
      access: adminOnly,
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 128 }),
          role: Type.Union(roles.map((r) => Type.Literal(r))),
          tenant: Type.Optional(IdentSchema),
          nodeId: Type.Optional(Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' })),
        },
        { additionalProperties: false },
      ),
      responses: { 201: AnyObject, ...errorResponses, 404: ErrorSchema, 422: ErrorSchema },
      handler: async (req, reply) => {
        const b = req.body as { name: string; role: Role; tenant?: string; nodeId?: string };
        if (b.role === 'member' && !b.tenant) throw new TesseraError('infeasible', '/tenant: a member token needs a tenant');
        if (b.role === 'agent' && !b.nodeId) throw new TesseraError('infeasible', '/nodeId: an agent token is bound to one node; give nodeId');
        const { token, secret } = await ctx.store.createToken({ name: b.name, role: b.role, tenant: b.tenant ?? null, nodeId: b.nodeId ?? null }, principal(req));
        return reply.status(201).send({ ...token, secret });
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      summary: 'Revoke an API token',
      tag: 'tokens',
      access: adminOnly,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      responses: { 204: 'Revoked', ...errorResponses, 404: ErrorSchema },
      handler: async (req, reply) => {
        await ctx.store.revokeToken((req.params as { id: string }).id, principal(req));
        return reply.status(204).send();
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/audit',
      summary: 'Audit log: every state change with its actor, newest first',
      tag: 'tokens',
      access: adminOnly,
      query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => {
        const q = req.query as { limit?: number; offset?: number };
        return ctx.store.listAudit(q.limit ?? 100, q.offset ?? 0);
      },
    }),
  ];
}

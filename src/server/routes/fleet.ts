/** Read-only views of the hardware: chips (catalog), fleets, clusters, nodes, devices; node cordon. */
import { Type } from '@sinclair/typebox';
import { notFound } from '../../lib/errors.js';
import { builtinFleets } from '../../fleet/index.js';
import { NodeState } from '../../store/index.js';
import { principal, staffRoles, userRoles } from '../auth.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject, ErrorSchema, NodeSchema, PageQuery, errorResponses, pageOf } from '../schemas.js';
import { nodeView } from '../views.js';

const NodeParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 253 }) }, { additionalProperties: false });

export function fleetRoutes(ctx: ServerContext): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/chips',
      summary: 'Chips in the catalog (with sources and confidence per figure)',
      tag: 'hardware',
      access: userRoles,
      query: Type.Object({ vendor: Type.Optional(Type.String({ maxLength: 32 })) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => {
        const vendor = (req.query as { vendor?: string }).vendor;
        const chips = ctx.catalog ? ctx.catalog.chips.filter((c) => vendor === undefined || c.vendor === vendor) : [];
        return { items: chips, total: chips.length };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/chips/:id',
      summary: 'One chip, by id or alias',
      tag: 'hardware',
      access: userRoles,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const chip = ctx.catalog?.tryResolve(id);
        if (!chip) throw notFound(`chip ${id} not found`);
        return chip;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/fleets',
      summary: 'Built-in fleets, and the one this control plane serves',
      tag: 'hardware',
      access: userRoles,
      responses: { 200: AnyObject, ...errorResponses },
      handler: async () => ({ serving: ctx.fleetName, items: builtinFleets.map((f) => ({ name: f.name, description: f.description, kind: f.kind })) }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/clusters',
      summary: 'Clusters as the registered nodes describe them: nodes, cards and chips',
      tag: 'hardware',
      access: userRoles,
      responses: { 200: AnyObject, ...errorResponses },
      handler: async () => {
        const page = await ctx.store.listNodes({ limit: 1_000_000, offset: 0 });
        const by = new Map<string, { id: string; nodes: number; readyNodes: number; cards: number; chips: Record<string, number>; simulatedNodes: number }>();
        for (const n of page.items) {
          const c = by.get(n.cluster) ?? { id: n.cluster, nodes: 0, readyNodes: 0, cards: 0, chips: {}, simulatedNodes: 0 };
          c.nodes++;
          if (n.state === NodeState.ready) c.readyNodes++;
          if (n.simulated) c.simulatedNodes++;
          c.cards += n.cards;
          c.chips[n.chip] = (c.chips[n.chip] ?? 0) + n.cards;
          by.set(n.cluster, c);
        }
        return { items: [...by.values()].sort((a, b) => a.id.localeCompare(b.id)) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/nodes',
      summary: 'Registered nodes',
      tag: 'hardware',
      access: userRoles,
      query: Type.Object(
        { ...PageQuery, cluster: Type.Optional(Type.String({ maxLength: 64 })), chip: Type.Optional(Type.String({ maxLength: 64 })), state: Type.Optional(Type.Union([Type.Literal('Ready'), Type.Literal('Lost')])) },
        { additionalProperties: false },
      ),
      responses: { 200: pageOf(NodeSchema), ...errorResponses },
      handler: async (req) => {
        const q = req.query as { limit?: number; offset?: number; cluster?: string; chip?: string; state?: NodeState };
        const page = await ctx.store.listNodes({ limit: q.limit ?? 50, offset: q.offset ?? 0, ...(q.cluster ? { cluster: q.cluster } : {}), ...(q.chip ? { chip: q.chip } : {}), ...(q.state ? { state: q.state } : {}) });
        const now = ctx.now();
        return { items: page.items.map((n) => nodeView(n, now)), total: page.total };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/nodes/:id',
      summary: 'One node with its devices',
      tag: 'hardware',
      access: userRoles,
      params: NodeParams,
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const id = (req.params as { id: string }).id;
        const node = await ctx.store.getNode(id);
        if (!node) throw notFound(`node ${id} not found`);
        return { ...nodeView(node, ctx.now()), devices: await ctx.store.listDevices(id) };
      },
    }),
    ...(['cordon', 'uncordon'] as const).map((verb) =>
      route({
        method: 'POST',
        url: `/api/v1/nodes/:id/${verb}`,
        summary: verb === 'cordon' ? 'Stop placing new work on a node' : 'Allow new work on a node again',
        tag: 'hardware',
        access: staffRoles,
        params: NodeParams,
        responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
        handler: async (req) => {
          const node = await ctx.store.setSchedulable((req.params as { id: string }).id, verb === 'uncordon', principal(req));
          ctx.poke();
          return nodeView(node, ctx.now());
        },
      }),
    ),
    route({
      method: 'GET',
      url: '/api/v1/devices',
      summary: 'Devices (cards) with their allocated share',
      tag: 'hardware',
      access: userRoles,
      query: Type.Object({ node: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses },
      handler: async (req) => {
        const items = await ctx.store.listDevices((req.query as { node?: string }).node);
        return { items, total: items.length };
      },
    }),
  ];
}

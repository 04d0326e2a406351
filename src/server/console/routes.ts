/**
 * Read models the console needs beyond the resource API: capacity (cards, PFLOPS, H20-equivalents,
 * declared vs computed), allocation history, a compact device map for the heatmap, and the
 * catalog comparison. Declared like every other route, so they appear in the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';
import { TesseraError } from '../../lib/errors.js';
import { builtinSources, compareChips } from '../../catalog/index.js';
import { principal, staffRoles, tenantScope, userRoles } from '../auth.js';
import { JobState } from '../../workload/index.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { errorResponses, ErrorSchema } from '../schemas.js';
import type { CapacityModel } from './capacity.js';
import type { FleetCache } from './fleet-cache.js';
import type { AllocationHistory } from './history.js';
import type { SimulateRequest } from './simulate.js';
import { SimulationRunner } from './simulate-thread.js';
import { CapacitySchema, ComparisonSchema, HeatmapSchema, HistorySchema, SimulationSchema } from './schemas.js';
import { builtinProfiles } from '../../sched/index.js';

/** The seed's five-card comparison (the CCTV table): PPU, A800, H20, 910B, BR104. */
export const seedComparisonChips = ['thead-ppu', 'nvidia-a800', 'nvidia-h20', 'ascend-910b', 'biren-br104'] as const;

export function consoleRoutes(ctx: ServerContext, capacity: CapacityModel, history: AllocationHistory, fleet: FleetCache): RouteDef[] {
  const simulations = ctx.catalog ? new SimulationRunner(ctx.catalog) : null;
  return [
    route({
      method: 'GET',
      url: '/api/v1/console/capacity',
      summary: 'Capacity by vendor and chip: cards, peak PFLOPS, allocation, H20-equivalents per workload class, declared vs computed',
      tag: 'console',
      access: userRoles,
      responses: { 200: CapacitySchema, ...errorResponses },
      handler: async (req) => {
        // The Overview's first paint needs one request, not four: the job and service counts come along.
        const tenant = tenantScope(principal(req));
        const scope = tenant !== undefined ? { tenant } : {};
        const [read, running, waiting, services] = await Promise.all([
          fleet.read(),
          ctx.store.listJobs({ states: [JobState.running], limit: 1, offset: 0, ...scope }),
          ctx.store.listJobs({ states: [JobState.pending, JobState.admitted], limit: 1, offset: 0, ...scope }),
          ctx.store.listServices(tenant),
        ]);
        return capacity.compute(read.nodes, read.devices, ctx.now(), { running: running.total, waiting: waiting.total, services: services.length });
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/history',
      summary: 'Allocation, running and waiting jobs over the last hour (sampled by this control plane)',
      tag: 'console',
      access: userRoles,
      responses: { 200: HistorySchema, ...errorResponses },
      handler: async () => ({ intervalSec: history.intervalSec, items: history.list() }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/heatmap',
      summary: 'Every device in one compact document: allocated share and health, in node order',
      tag: 'console',
      access: userRoles,
      responses: { 200: HeatmapSchema, ...errorResponses },
      handler: async () => {
        const { nodes: all, devices } = await fleet.read();
        const nodes = [...all].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.chip.localeCompare(b.chip) || a.id.localeCompare(b.id, 'en', { numeric: true }));
        const byNode = new Map<string, Map<number, { usedMilli: number; healthy: boolean }>>();
        for (const d of devices) {
          const m = byNode.get(d.nodeId) ?? new Map<number, { usedMilli: number; healthy: boolean }>();
          m.set(d.index, d);
          byNode.set(d.nodeId, m);
        }
        const chipIndex = new Map<string, number>();
        const chips: { id: string; vendor: string | null }[] = [];
        const used: number[] = [];
        const unhealthy: number[] = [];
        const out = nodes.map((n) => {
          let chip = chipIndex.get(n.chip);
          if (chip === undefined) {
            chip = chips.length;
            chipIndex.set(n.chip, chip);
            chips.push({ id: n.chip, vendor: ctx.catalog?.tryResolve(n.chip)?.vendor ?? null });
          }
          const first = used.length;
          const devs = byNode.get(n.id);
          for (let i = 0; i < n.cards; i++) {
            const d = devs?.get(i);
            used.push(d?.usedMilli ?? 0);
            if (d && !d.healthy) unhealthy.push(first + i);
          }
          return { id: n.id, cluster: n.cluster, chip, state: n.state, schedulable: n.schedulable, first, cards: n.cards };
        });
        return { atMs: ctx.now(), chips, nodes: out, used, unhealthy };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/recent-events',
      summary: 'The newest events (members: their tenant\'s) and the id to stream from',
      tag: 'console',
      access: userRoles,
      query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
      responses: { 200: Type.Object({ lastId: Type.Integer(), items: Type.Array(Type.Ref('Event')) }), ...errorResponses },
      handler: async (req) => {
        const p = principal(req);
        const tenant = p.role === 'member' ? (p.tenant ?? '\u0000') : undefined;
        const limit = (req.query as { limit?: number }).limit ?? 20;
        const lastId = await newestEventId(ctx);
        const items = await ctx.store.listEvents(Math.max(0, lastId - limit * 20), limit * 20, tenant);
        return { lastId, items: items.slice(-limit).reverse() };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/sources',
      summary: 'The catalog\'s source keys (N1, A2, ...) and what each one is',
      tag: 'console',
      access: userRoles,
      responses: { 200: Type.Object({ items: Type.Array(Type.Object({ key: Type.String(), description: Type.String() })) }), ...errorResponses },
      handler: async () => ({ items: builtinSources().map((s) => ({ key: s.key, description: s.description })) }),
    }),
    route({
      method: 'POST',
      url: '/api/v1/console/simulate',
      summary: 'Run the seeded synthetic workload (run times from the performance model) through the scheduler on a virtual clock, once per profile, and compare',
      tag: 'console',
      access: staffRoles,
      body: Type.Object(
        {
          fleet: Type.String({ minLength: 1, maxLength: 64, description: 'Built-in fleet: demo or unicom-2025' }),
          jobs: Type.Integer({ minimum: 10, maximum: 5000 }),
          seed: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
          profiles: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 4 }),
          load: Type.Number({ minimum: 0.05, maximum: 3, description: 'Offered load: share of the fleet capacity at H20 speed' }),
          mode: Type.Union([Type.Literal('choose'), Type.Literal('vendor')], { description: 'choose: Tessera picks the chip; vendor: each job pinned to one vendor' }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: SimulationSchema, ...errorResponses, 409: ErrorSchema, 422: ErrorSchema },
      handler: async (req) => {
        if (!simulations) throw new TesseraError('infeasible', 'this control plane has no catalog');
        return simulations.run(req.body as SimulateRequest);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/profiles',
      summary: 'Scheduler profiles a simulation can compare',
      tag: 'console',
      access: userRoles,
      responses: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), description: Type.Union([Type.String(), Type.Null()]) })) }), ...errorResponses },
      handler: async () => ({ items: Object.values(builtinProfiles).map((p) => ({ name: p.name, description: p.description ?? null })) }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/console/comparison',
      summary: "Chips side by side with ratios to a baseline (default: the seed's five cards against the H20)",
      tag: 'console',
      access: userRoles,
      query: Type.Object({ chips: Type.Optional(Type.String({ maxLength: 400, description: 'Comma-separated ids or aliases' })), baseline: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      responses: { 200: ComparisonSchema, ...errorResponses, 422: ErrorSchema },
      handler: async (req) => {
        if (!ctx.catalog) throw new TesseraError('infeasible', 'this control plane has no catalog');
        const q = req.query as { chips?: string; baseline?: string };
        const ids = q.chips ? q.chips.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [...seedComparisonChips];
        for (const [i, id] of ids.entries()) if (!ctx.catalog.tryResolve(id)) throw new TesseraError('infeasible', `/chips/${i}: unknown chip '${id}'`);
        const baseline = q.baseline ?? 'nvidia-h20';
        if (!ctx.catalog.tryResolve(baseline)) throw new TesseraError('infeasible', `/baseline: unknown chip '${baseline}'`);
        return compareChips(ctx.catalog, ids, baseline);
      },
    }),
  ];
}

/** Event ids only grow, so the newest is found by bisection with one-row reads (the store lists ascending only). */
async function newestEventId(ctx: ServerContext): Promise<number> {
  let lo = 0;
  let hi = 1;
  while ((await ctx.store.listEvents(hi, 1)).length > 0) {
    lo = hi;
    hi *= 2;
  }
  // Invariant: some event has an id > lo (or lo = 0), none has an id > hi.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await ctx.store.listEvents(mid, 1)).length > 0) lo = mid;
    else hi = mid;
  }
  const last = await ctx.store.listEvents(lo, 1);
  return last[0]?.id ?? lo;
}

/** Health, readiness, Prometheus metrics, the OpenAPI document and the API browser. */
import { Type } from '@sinclair/typebox';
import { NodeState } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { docsPage } from '../docs-page.js';
import { openApiDocument } from '../openapi.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject } from '../schemas.js';

export const apiVersion = '0.1.0';

export function systemRoutes(ctx: ServerContext, allRoutes: () => RouteDef[]): RouteDef[] {
  let doc: Record<string, unknown> | null = null;
  return [
    route({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness: the process answers',
      tag: 'system',
      access: 'public',
      responses: { 200: AnyObject },
      handler: async () => ({ status: 'ok' }),
    }),
    route({
      method: 'GET',
      url: '/readyz',
      summary: 'Readiness: the store answers and the scheduling loop is leading or standing by',
      tag: 'system',
      access: 'public',
      responses: { 200: AnyObject, 503: AnyObject },
      handler: async (_req, reply) => {
        let storeOk = true;
        try {
          await ctx.store.getTenant('default');
        } catch {
          storeOk = false;
        }
        const ok = storeOk && ctx.ready();
        return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', store: storeOk ? ctx.store.backend : 'unreachable', scheduler: ctx.loopRole() });
      },
    }),
    route({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics',
      tag: 'system',
      access: 'public',
      responses: { 200: 'Prometheus text format' },
      produces: 'text/plain',
      handler: async (_req, reply) => {
        const nodes = await ctx.store.listNodes({ limit: 1_000_000, offset: 0 });
        const now = ctx.now();
        let oldest = 0;
        const byState: Record<string, number> = { [NodeState.ready]: 0, [NodeState.lost]: 0 };
        for (const n of nodes.items) {
          byState[n.state] = (byState[n.state] ?? 0) + 1;
          if (n.state === NodeState.ready) oldest = Math.max(oldest, (now - n.lastHeartbeatAtMs) / 1000);
        }
        ctx.metrics.heartbeatAgeMaxSec.set(oldest);
        for (const [state, n] of Object.entries(byState)) ctx.metrics.nodes.set({ state }, n);
        ctx.metrics.leader.set(ctx.loopRole() === 'leader' ? 1 : 0);
        return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/openapi.json',
      summary: 'This API as an OpenAPI 3 document',
      tag: 'system',
      access: 'public',
      responses: { 200: AnyObject },
      handler: async () => (doc ??= openApiDocument(allRoutes(), apiVersion)),
    }),
    route({
      method: 'GET',
      url: '/api/docs',
      summary: 'Browsable API documentation (self-contained HTML)',
      tag: 'system',
      access: 'public',
      responses: { 200: 'HTML page' },
      produces: 'text/html',
      handler: async (_req, reply) => reply.type('text/html; charset=utf-8').send(docsPage),
    }),
    route({
      method: 'GET',
      url: '/api/v1',
      summary: 'API root: version and scheduler role',
      tag: 'system',
      access: 'public',
      query: Type.Object({}, { additionalProperties: false }),
      responses: { 200: AnyObject },
      handler: async () => ({ name: 'tessera', version: apiVersion, store: ctx.store.backend, scheduler: ctx.loopRole(), fleet: ctx.fleetName, docs: '/api/docs', openapi: '/api/v1/openapi.json' }),
    }),
  ];
}

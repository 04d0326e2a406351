/**
 * Events: JSON pages, or a server-sent-events stream (Accept: text/event-stream) that resumes after
 * `Last-Event-ID`. Members receive only their tenant's events.
 */
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../lib/errors.js';
import { principal, userRoles } from '../auth.js';
import type { ServerContext } from '../context.js';
import { route, type RouteDef } from '../route.js';
import { EventSchema, errorResponses } from '../schemas.js';

export interface SseRegistry {
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
}

export function eventRoutes(ctx: ServerContext): { routes: RouteDef[]; sse: SseRegistry } {
  const open = new Set<() => void>();
  const sse: SseRegistry = { closeAll: () => [...open].forEach((end) => end()) };
  const routes = [
    route({
      method: 'GET',
      url: '/api/v1/events',
      summary: 'Events after an id; with Accept: text/event-stream a live stream resumable with Last-Event-ID',
      tag: 'events',
      access: userRoles,
      query: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      responses: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...errorResponses },
      produces: 'application/json, text/event-stream',
      handler: async (req, reply) => {
        const p = principal(req);
        const tenant = p.role === 'member' ? (p.tenant ?? '\u0000') : undefined;
        const q = req.query as { after?: number; limit?: number };
        const header = req.headers['last-event-id'];
        let after = q.after ?? 0;
        if (header !== undefined) {
          const n = Number(header);
          if (typeof header !== 'string' || !/^\d{1,15}$/.test(header) || !Number.isSafeInteger(n)) throw new ValidationError('invalid header', [{ path: '/headers/last-event-id', message: 'Last-Event-ID must be a non-negative integer' }]);
          after = n;
        }
        const accept = req.headers.accept ?? '';
        if (!accept.includes('text/event-stream')) return { items: await ctx.store.listEvents(after, q.limit ?? 100, tenant) };

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        res.write('retry: 2000\n\n');
        let closed = false;
        let wake: (() => void) | null = null;
        const end = (): void => {
          closed = true;
          wake?.();
        };
        open.add(end);
        req.raw.on('close', end);
        let lastWrite = Date.now();
        try {
          while (!closed) {
            const batch = await ctx.store.listEvents(after, 500, tenant);
            for (const e of batch) {
              res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
              after = e.id;
              lastWrite = Date.now();
            }
            if (batch.length === 500) continue;
            if (Date.now() - lastWrite > 15_000) {
              res.write(': keep-alive\n\n');
              lastWrite = Date.now();
            }
            await new Promise<void>((r) => {
              wake = r;
              setTimeout(r, ctx.config.ssePollMs);
            });
          }
        } catch (e) {
          req.log.warn({ err: e }, 'event stream ended by an error');
        } finally {
          open.delete(end);
          res.end();
        }
        return reply;
      },
    }),
  ];
  return { routes, sse };
}

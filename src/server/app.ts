/**
 * Builds the control plane's HTTP server (Fastify 5): every route declared once with its TypeBox
 * schemas, authenticated before its body is read, validated at the edge, errors mapped in one place.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Catalog } from '../catalog/catalog.js';
import type { Store } from '../store/index.js';
import { AgentService } from './agent-service.js';
import { authenticate } from './auth.js';
import { defaultServerConfig, type ServerConfig, type ServerContext } from './context.js';
import { errorHandler } from './errors.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import type { RouteDef } from './route.js';
import { agentRoutes } from './routes/agent.js';
import { eventRoutes } from './routes/events.js';
import { fleetRoutes } from './routes/fleet.js';
import { jobRoutes } from './routes/jobs.js';
import { serviceRoutes } from './routes/services.js';
import { systemRoutes } from './routes/system.js';
import { tenantRoutes } from './routes/tenants.js';
import { validatorCompiler } from './validation.js';
import { mountConsole } from './console/index.js';

export interface ServerOptions {
  store: Store;
  catalog?: Catalog | null;
  config?: Partial<ServerConfig>;
  /** Fastify logger setting: false (tests), true or pino options (JSON logs). */
  logger?: FastifyServerOptions['logger'];
  metrics?: ServerMetrics;
  fleetName?: string | null;
  now?: () => number;
}

/** What the API needs from the scheduling loop. */
export interface LoopHandle {
  poke(): void;
  role(): 'leader' | 'standby' | 'off';
  ready(): boolean;
  explanation?(jobId: string): { plugin: string; reason: string }[] | undefined;
}

export interface ControlPlaneServer {
  app: FastifyInstance;
  ctx: ServerContext;
  agents: AgentService;
  routes: RouteDef[];
  /** Lets the scheduling loop plug in after construction. */
  attachLoop(loop: LoopHandle): void;
}

export async function buildServer(opts: ServerOptions): Promise<ControlPlaneServer> {
  const config = { ...defaultServerConfig, ...(opts.config ?? {}) };
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: config.bodyLimitBytes, return503OnClosing: true });
  let loop: LoopHandle | null = null;
  const ctx: ServerContext = {
    store: opts.store,
    catalog: opts.catalog ?? null,
    config,
    metrics: opts.metrics ?? createMetrics(),
    log: app.log,
    fleetName: opts.fleetName ?? null,
    now: opts.now ?? Date.now,
    poke: () => loop?.poke(),
    ready: () => (loop ? loop.ready() : true),
    loopRole: () => (loop ? loop.role() : 'off'),
    explanation: (jobId) => loop?.explanation?.(jobId),
  };
  const agents = new AgentService(ctx);
  const events = eventRoutes(ctx);
  const routes: RouteDef[] = [];
  routes.push(...jobRoutes(ctx), ...serviceRoutes(ctx), ...tenantRoutes(ctx), ...fleetRoutes(ctx), ...events.routes, ...agentRoutes(agents), ...systemRoutes(ctx, () => routes));
  mountConsole(app, ctx, routes);

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  app.addHook('onResponse', async (req, reply) => {
    const routeUrl = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpSeconds.observe({ method: req.method, route: routeUrl, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) req.log.error({ method: req.method, url: req.url, status: reply.statusCode }, 'request failed');
  });
  app.addHook('onClose', async () => events.sse.closeAll());

  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      schema: { ...(r.params ? { params: r.params } : {}), ...(r.query ? { querystring: r.query } : {}), ...(r.body ? { body: r.body } : {}) },
      // Per-request info lines would swamp the log at thousands of requests/s; failures are logged in onResponse.
      logLevel: 'warn',
      onRequest: async (req) => authenticate(ctx.store, req, r.access),
      handler: r.handler,
    });
  }
  return {
    app,
    ctx,
    agents,
    routes,
    attachLoop: (l) => {
      loop = l;
    },
  };
}

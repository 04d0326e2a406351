/**
 * Mounts the console on a control plane: its read-model routes join the API's route list (and so
 * its OpenAPI document), and the built single-page app is served at `/`. One call from app.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import type { RouteDef } from '../route.js';
import { CapacityModel } from './capacity.js';
import { FleetCache } from './fleet-cache.js';
import { AllocationHistory } from './history.js';
import { consoleRoutes } from './routes.js';
import { consoleDir, loadStaticFiles, type StaticFile } from './static-files.js';

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tessera</title></head><body style="font:16px system-ui;margin:40px">
<h1>Tessera</h1><p>The console is not built. Run <code>npm run build</code> (or <code>npm run build:web</code>) and restart.</p>
<p>The API is available: <a href="/api/docs">/api/docs</a>.</p></body></html>`;

export interface ConsoleOptions {
  /** Folder of the built console; default TESSERA_CONSOLE_DIR or <repo>/web/dist. */
  dir?: string | null;
  historyIntervalSec?: number;
}

export function mountConsole(app: FastifyInstance, ctx: ServerContext, routes: RouteDef[], opts: ConsoleOptions = {}): void {
  const fleet = new FleetCache(ctx.store, ctx.now);
  const history = new AllocationHistory(ctx.store, fleet, ctx.now, opts.historyIntervalSec ?? 10);
  const capacity = new CapacityModel(ctx.catalog, ctx.fleetName);
  routes.push(...consoleRoutes(ctx, capacity, history, fleet));
  app.addHook('onReady', async () => {
    history.start();
    // Per-chip H20-equivalents take the performance model a moment; work them out before the first visitor asks.
    setImmediate(() => void fleet.read().then((r) => capacity.warm(r.nodes.map((n) => n.chip)), () => undefined));
  });
  app.addHook('onClose', async () => history.stop());

  const files = loadStaticFiles(opts.dir === undefined ? consoleDir() : opts.dir);
  const send = (file: StaticFile, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const accept = req.headers['accept-encoding'];
    const gzip = file.gzip !== null && typeof accept === 'string' && /\bgzip\b/.test(accept);
    void reply
      .header('content-type', file.type)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding');
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzip : file.body);
  };
  const index = files.get('/index.html');
  app.get('/', { logLevel: 'warn' }, async (req, reply) => (index ? send(index, req, reply) : reply.type('text/html; charset=utf-8').send(notBuilt)));
  for (const [url, file] of files) {
    if (url === '/index.html') continue;
    app.get(url, { logLevel: 'warn' }, async (req, reply) => send(file, req, reply));
  }
}

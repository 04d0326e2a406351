/**
 * A whole control plane in one call: open the store, bootstrap the admin token, build the API,
 * start the scheduling loop and (demo) the simulated agents and the demo workload, listen.
 * `tessera serve` is a thin flag parser over this.
 */
import type { FastifyServerOptions } from 'fastify';
import type { Catalog } from '../catalog/catalog.js';
import type { Fleet } from '../fleet/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildServer, type ControlPlaneServer, type LoopHandle } from './app.js';
import { LoopWorker } from './loop-worker.js';
import type { ServerConfig } from './context.js';
import { DemoWorkload } from './demo-workload.js';
import { createMetrics } from './metrics.js';
import { SchedulingLoop } from './sched-loop.js';
import { SimulatedAgents } from './simulated-agents.js';
import { Autoscaler, type AutoscalerOptions } from './autoscaler.js';
import { EmbeddedGateway } from './embedded-gateway.js';
import { ReplicaEmulators } from './replica-emulators.js';
import { loadHighs } from '../sched/lp/index.js';

export interface ControlPlaneOptions {
  port: number;
  host: string;
  dataDir: string;
  db?: string;
  catalog: Catalog;
  /** With demo: the fleet the simulated agents serve. */
  fleet?: Fleet | null;
  demo?: boolean;
  adminToken?: string;
  profile?: string;
  intervalMs?: number;
  seed?: number;
  config?: Partial<ServerConfig>;
  logger?: FastifyServerOptions['logger'];
  /** Start the scheduling loop (default true). */
  loop?: boolean;
  /**
   * Where the loop runs: `worker` (its own thread and database connection, so big snapshots never
   * stall the API) or `main`. Default: worker when running compiled JavaScript, main under a TS runner.
   */
  loopThread?: 'worker' | 'main';
  /** Run the inference gateway on its own port (0 = any free port), following the running replicas. */
  gateway?: { port: number; host?: string; config?: Record<string, unknown>; pollMs?: number };
  /** With the gateway: scale services to their traffic (options, or true for the defaults). */
  autoscale?: AutoscalerOptions | boolean;
  /** With demo: submit the stream of demo work (default true). */
  demoWorkload?: boolean;
}

export interface RunningControlPlane {
  url: string;
  server: ControlPlaneServer;
  store: Store;
  loop: LoopHandle | null;
  /** The admin token when one was generated now (print it once). */
  generatedAdminToken: string | null;
  simulatedNodes: number;
  /** The gateway's base URL (`/v1/...` under it) when it runs. */
  gatewayUrl: string | null;
  gateway: EmbeddedGateway | null;
  autoscaler: Autoscaler | null;
  /** Demo mode's engines, one per running inference replica. */
  emulators: ReplicaEmulators | null;
  close(): Promise<void>;
}

/** On a fresh database: the given token (TESSERA_ADMIN_TOKEN) or a generated one becomes the first admin token. */
export async function bootstrapAdmin(store: Store, given?: string): Promise<string | null> {
  const actor = { id: 'bootstrap', role: 'system' as const };
  if (given) {
    if (!(await store.verifyToken(given))) await store.createToken({ name: 'bootstrap-admin', role: 'admin', secret: given }, actor);
    return null;
  }
  if ((await store.countTokens()) > 0) return null;
  return (await store.createToken({ name: 'bootstrap-admin', role: 'admin' }, actor)).secret;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<RunningControlPlane> {
  const store = await openStore({ dataDir: o.dataDir, ...(o.db ? { db: o.db } : {}) });
  const generatedAdminToken = await bootstrapAdmin(store, o.adminToken);
  const metrics = createMetrics({ defaultMetrics: true });
  const server = await buildServer({ store, catalog: o.catalog, metrics, logger: o.logger ?? false, fleetName: o.demo ? (o.fleet?.name ?? null) : null, ...(o.config ? { config: o.config } : {}) });
  const log = server.app.log;
  const thread = o.loopThread ?? (import.meta.url.endsWith('.js') ? 'worker' : 'main');
  const loopOpts = { nodeLeaseSec: server.ctx.config.nodeLeaseSec, ...(o.profile ? { profile: o.profile } : {}), ...(o.intervalMs ? { intervalMs: o.intervalMs } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) };
  const loop: (LoopHandle & { start(): void | Promise<void>; stop(): Promise<void> }) | null =
    o.loop === false ? null : thread === 'worker' ? new LoopWorker({ dataDir: o.dataDir, ...(o.db ? { db: o.db } : {}), ...loopOpts }, metrics, log) : new SchedulingLoop({ store, catalog: o.catalog, metrics, log, ...loopOpts });
  if (loop) server.attachLoop(loop);
  let agents: SimulatedAgents | null = null;
  let workload: DemoWorkload | null = null;
  let emulators: ReplicaEmulators | null = null;
  if (o.demo && o.fleet) {
    emulators = new ReplicaEmulators(store, o.catalog, o.host.includes(':') ? '127.0.0.1' : o.host);
    agents = new SimulatedAgents(server.agents, o.fleet, o.catalog, { heartbeatMs: server.ctx.config.heartbeatIntervalSec * 1000, seed: o.seed ?? 7, emulators, onError: (e) => log.warn({ err: e }, 'simulated agent error') });
    await agents.registerAll();
  }
  if (o.demo && o.fleet && o.demoWorkload !== false) {
    workload = new DemoWorkload(store, o.fleet, o.catalog, { seed: o.seed ?? 11, onSubmit: () => server.ctx.poke(), onError: (e) => log.warn({ err: e }, 'demo workload error') });
    await workload.setup();
  }
  await server.app.listen({ port: o.port, host: o.host });
  const addr = server.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  await loop?.start();
  agents?.start();
  workload?.start();
  let gateway: EmbeddedGateway | null = null;
  let autoscaler: Autoscaler | null = null;
  if (o.gateway) {
    gateway = new EmbeddedGateway(store, o.catalog, { port: o.gateway.port, host: o.gateway.host ?? o.host, ...(o.gateway.config ? { config: o.gateway.config } : {}), ...(o.gateway.pollMs ? { pollMs: o.gateway.pollMs } : {}), onError: (e) => log.warn({ err: e }, 'gateway error') });
    await gateway.start();
    if (o.autoscale) {
      const ao = o.autoscale === true ? {} : o.autoscale;
      autoscaler = new Autoscaler(store, o.catalog, gateway.gateway, await loadHighs(), {
        // Only the instance holding the scheduling lease scales (without a loop here, this one).
        acting: () => loop === null || loop.role() === 'leader',
        // Plan on what every control plane's gateway stored, this one's counts flushed first.
        demandFromStore: true,
        beforePass: () => gateway!.flush(),
        ...ao,
        onError: (e) => log.warn({ err: e }, 'autoscaler error'),
        onDecision: (id, action, reason) => {
          if (action !== 'hold') {
            log.info({ service: id, action, reason }, 'autoscaler');
            server.ctx.poke();
          } else log.debug({ service: id, reason }, 'autoscaler holds');
          ao.onDecision?.(id, action, reason);
        },
      });
      autoscaler.start();
    }
  }
  let closed = false;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    server,
    store,
    loop,
    generatedAdminToken,
    simulatedNodes: agents?.nodeCount ?? 0,
    gatewayUrl: gateway?.url ?? null,
    gateway,
    autoscaler,
    emulators,
    close: async () => {
      if (closed) return;
      closed = true;
      await autoscaler?.stop();
      await gateway?.close();
      workload?.stop();
      agents?.stop();
      await emulators?.stopAll();
      await loop?.stop();
      await server.app.close();
      await store.close();
    },
  };
}

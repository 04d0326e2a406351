/** What every route and service of the control plane shares. */
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog/catalog.js';
import type { Store } from '../store/index.js';
import type { ServerMetrics } from './metrics.js';

export interface ServerConfig {
  /** Seconds between agent heartbeats (told to agents at registration). */
  heartbeatIntervalSec: number;
  /** Silence after which a node is Lost. */
  nodeLeaseSec: number;
  /** Poll interval of the SSE stream for new events. */
  ssePollMs: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
}

export const defaultServerConfig: ServerConfig = { heartbeatIntervalSec: 5, nodeLeaseSec: 30, ssePollMs: 250, bodyLimitBytes: 1_048_576 };

export interface ServerContext {
  store: Store;
  catalog: Catalog | null;
  config: ServerConfig;
  metrics: ServerMetrics;
  log: FastifyBaseLogger;
  /** Name of the fleet this control plane serves, when started from one. */
  fleetName: string | null;
  /** The clock (epoch ms); the store's, so leases and silences compare like with like. */
  now: () => number;
  /** Wakes the scheduling loop early (a job arrived, a node registered). */
  poke: () => void;
  /** True once the store is open and (when running) the loop has completed a cycle or stands by. */
  ready: () => boolean;
  /** The scheduling loop's latest explanation for a waiting job, fresher than the stored one. */
  explanation: (jobId: string) => { plugin: string; reason: string }[] | undefined;
  /** Role of this instance in the scheduling loop, for /readyz and /metrics. */
  loopRole: () => 'leader' | 'standby' | 'off';
}

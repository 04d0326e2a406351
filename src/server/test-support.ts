/** Test helpers: a control plane on a temp SQLite store with tokens for every role. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog } from '../catalog/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { buildServer, type ControlPlaneServer } from './app.js';
import type { ServerConfig } from './context.js';
import { SchedulingLoop } from './sched-loop.js';

export interface TestPlane extends ControlPlaneServer {
  store: Store;
  loop: SchedulingLoop;
  tokens: { admin: string; operator: string; alice: string; bob: string; agent: string };
  auth(token: string): { authorization: string };
  close(): Promise<void>;
}

export async function testPlane(opts: { config?: Partial<ServerConfig>; now?: () => number } = {}): Promise<TestPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-server-'));
  const store = await openSqliteStore({ path: join(dir, 'tessera.db'), ...(opts.now ? { now: opts.now } : {}) });
  const server = await buildServer({ store, catalog: builtinCatalog(), config: { ssePollMs: 20, ...(opts.config ?? {}) }, ...(opts.now ? { now: opts.now } : {}) });
  const loop = new SchedulingLoop({ store, catalog: builtinCatalog(), metrics: server.ctx.metrics, log: server.app.log, holder: 'test-plane', nodeLeaseSec: server.ctx.config.nodeLeaseSec, ...(opts.now ? { now: opts.now } : {}) });
  server.attachLoop(loop);
  const sys = { id: 'setup', role: 'system' as const };
  await store.upsertTenant({ id: 'alice-co' }, sys);
  await store.upsertTenant({ id: 'bob-co' }, sys);
  const tokens = {
    admin: (await store.createToken({ name: 'admin', role: 'admin' }, sys)).secret,
    operator: (await store.createToken({ name: 'op', role: 'operator' }, sys)).secret,
    alice: (await store.createToken({ name: 'alice', role: 'member', tenant: 'alice-co' }, sys)).secret,
    bob: (await store.createToken({ name: 'bob', role: 'member', tenant: 'bob-co' }, sys)).secret,
    agent: (await store.createToken({ name: 'agent-n1', role: 'agent', nodeId: 'n1' }, sys)).secret,
  };
  return {
    ...server,
    store,
    loop,
    tokens,
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    close: async () => {
      await loop.stop();
      await server.app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const minimalJob = { name: 'x', kind: 'batch', command: ['sleep', '1'], resources: { count: 1 } };

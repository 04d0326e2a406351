/** The scheduling worker's entry point: its own store connection, the loop, reports to the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { builtinCatalog } from '../catalog/index.js';
import { openStore } from '../store/index.js';
import type { CycleMessage, LoopWorkerOptions } from './loop-worker.js';
import { createMetrics } from './metrics.js';
import { SchedulingLoop } from './sched-loop.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const o = workerData as LoopWorkerOptions;
  const store = await openStore({ dataDir: o.dataDir, ...(o.db ? { db: o.db } : {}) });
  const metrics = createMetrics();
  const loop = new SchedulingLoop({
    store,
    catalog: builtinCatalog(),
    metrics,
    log: pino({ level: 'warn' }),
    nodeLeaseSec: o.nodeLeaseSec,
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.intervalMs ? { intervalMs: o.intervalMs } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    onCycle: async (report) => {
      const depth = (await metrics.queueDepth.get()).values.map((v) => ({ tenant: String(v.labels.tenant), queue: String(v.labels.queue), state: String(v.labels.state), n: v.value }));
      const allocated = (await metrics.allocatedCards.get()).values.map((v) => ({ chip: String(v.labels.chip), cards: v.value }));
      const total = (await metrics.totalCards.get()).values.map((v) => ({ chip: String(v.labels.chip), cards: v.value }));
      const msg: CycleMessage = { type: 'cycle', role: report.leader ? 'leader' : 'standby', report, queueDepth: depth, allocated, total };
      port.postMessage(msg);
    },
  });
  port.on('message', (m: { type: string }) => {
    if (m.type === 'poke') loop.poke();
    else if (m.type === 'stop') {
      void loop
        .stop()
        .then(() => store.close())
        .finally(() => port.postMessage({ type: 'stopped' }));
    }
  });
  loop.start();
  port.postMessage({ type: 'started' });
}

void main().catch((e: unknown) => {
  parentPort?.postMessage({ type: 'log', message: `scheduling worker could not start: ${e instanceof Error ? e.message : String(e)}` });
  throw e;
});

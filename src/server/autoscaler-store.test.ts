/**
 * The autoscaler planning on the demand every gateway stored (`demandFromStore`), as the control
 * plane runs it: demand written by other gateways counts, and only the leader acts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { addToCells, type SizeCell } from '../plan/serving/index.js';
import { loadHighs } from '../sched/lp/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { normalizeServiceSpec } from '../workload/index.js';
import { Autoscaler } from './autoscaler.js';
import { replicaJobSpec } from './routes/services.js';

const sys = { id: 'test', role: 'system' as const };
const noLocalTraffic = { recentTraffic: () => [] };

describe('autoscaler on stored demand', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-autoscale-'));
    store = await openSqliteStore({ path: join(dir, 'tessera.db') });
    await store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })), simulated: true }, sys);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scales up for demand other gateways stored, and a standby does nothing', async () => {
    const spec = normalizeServiceSpec({ name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 1, slo: { ttftMsP99: 2000, tpotMsP99: 100 }, chips: { kind: 'pinned', chip: 'nvidia-h20' } });
    const svc = await store.createService(spec, sys, (i) => replicaJobSpec(spec, i));
    // Half-way through a minute: the window reaches back into the previous one, so the rate is over 90 s.
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
    // Two gateways each stored 150 long requests this minute: 300 together, 3.3 a second.
    const cells = new Map<string, SizeCell>();
    addToCells(cells, 3000, 300, 150);
    const row = { service: svc.id, model: 'qwen2.5-7b', minuteMs: Math.floor(now / 60_000) * 60_000, cells: [...cells.values()] };
    await store.addServiceDemand([row]);
    await store.addServiceDemand([row]);
    // Demand of another service, and of another model under this service's id, must not count.
    await store.addServiceDemand([{ ...row, service: 'other' }, { ...row, model: 'llama-3.1-8b' }]);
    const stored = await store.serviceDemand(svc.id, 0);
    expect(stored.filter((r) => r.model === 'qwen2.5-7b')[0]!.cells).toEqual([{ ...row.cells[0]!, n: 300, inSum: 900_000, outSum: 90_000 }]);

    const decisions: string[] = [];
    const options = { windowSec: 60, demandFromStore: true, prices: new Map([['nvidia-h20', 12]]), policy: { minReplicas: 1, maxReplicas: 8, upCooldownSec: 0 }, now: () => now, onDecision: (_id: string, action: string, reason: string) => decisions.push(action === 'up' ? action : `${action}: ${reason}`) };
    const standby = new Autoscaler(store, builtinCatalog(), noLocalTraffic, await loadHighs(), { ...options, acting: () => false });
    await standby.tick();
    expect(decisions).toEqual([]);
    const leader = new Autoscaler(store, builtinCatalog(), noLocalTraffic, await loadHighs(), options);
    await leader.tick();
    expect(decisions).toEqual(['up']);
    const up = (await store.listEvents(0, 100)).find((e) => e.type === 'service.autoscaled');
    expect(up?.data).toMatchObject({ action: 'up', observed: { requests: 300, requestsPerSec: 3.33, windowSec: 90, source: 'store', meanInputTokens: 3000, meanOutputTokens: 300 } });
    expect((await store.getService(svc.id))!.spec.replicas).toBeGreaterThan(1);
  });
});

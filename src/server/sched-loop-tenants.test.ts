/**
 * The loop's default profile (`tenant-fair-fgd`) on the store's tenants and queues: DRF across
 * tenants instead of first come first served, tenant quotas as hard caps, and preemption by
 * priority inside a tenant's queue, never across tenants.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { JobState, normalizeJobSpec } from '../workload/index.js';
import { createMetrics } from './metrics.js';
import { queuesFromStore } from './queue-tree.js';
import { DEFAULT_LOOP_PROFILE, SchedulingLoop } from './sched-loop.js';

const sys = { id: 'test', role: 'system' as const };

describe('scheduling loop with tenant queues', () => {
  let dir: string;
  let store: Store;
  let loop: SchedulingLoop;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-tenants-'));
    store = await openSqliteStore({ path: join(dir, 'tessera.db') });
    loop = new SchedulingLoop({ store, catalog: builtinCatalog(), metrics: createMetrics(), log: pino({ level: 'silent' }), holder: 'tenants', nodeLeaseSec: 1_000_000 });
    await store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })), simulated: true }, sys);
  });
  afterEach(async () => {
    await loop.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (tenant: string, name: string, priority = 0): Promise<string> => (await store.submitJob(normalizeJobSpec({ name, tenant, kind: 'batch', command: ['x'], resources: { count: 1 }, priority }), { actor: sys })).job.id;
  const scheduledOf = async (tenant: string): Promise<string[]> => (await store.listJobs({ states: [JobState.scheduled], limit: 1000, offset: 0 })).items.filter((j) => j.tenant === tenant).map((j) => j.id);

  it('shares the cards between tenants by DRF, within each tenant quota, and preempts only inside a tenant', async () => {
    expect(DEFAULT_LOOP_PROFILE).toBe('tenant-fair-fgd');
    await store.upsertTenant({ id: 'acme' }, sys);
    await store.upsertTenant({ id: 'globex', quota: { '*': 3 } }, sys);
    await store.upsertTenant({ id: 'initech' }, sys);
    // acme queues 20 jobs first; globex's 5 come later. First come first served would give acme all 8 cards.
    for (let i = 0; i < 20; i++) await submit('acme', `a${i}`);
    for (let i = 0; i < 5; i++) await submit('globex', `g${i}`);
    const first = await loop.cycle();
    expect(first.binds).toBe(8);
    // DRF alternates the tenants; globex stops at its quota of 3 cards, acme takes the rest.
    expect(await scheduledOf('globex')).toHaveLength(3);
    expect(await scheduledOf('acme')).toHaveLength(5);

    // A tenant with nothing running may not take another tenant's cards, whatever its priority.
    const urgent = await submit('initech', 'urgent', 100);
    const second = await loop.cycle();
    expect(second.preempts).toBe(0);
    expect((await store.getJob(urgent))?.state).toBe(JobState.admitted);

    // Inside acme's queue, a higher-priority job preempts one of acme's own lower-priority jobs.
    const important = await submit('acme', 'important', 10);
    const third = await loop.cycle();
    expect(third.preempts).toBe(1);
    expect(await scheduledOf('globex')).toHaveLength(3);
    const victims = (await store.listJobs({ limit: 1000, offset: 0 })).items.filter((j) => j.tenant !== 'acme' && j.attempt > 1);
    expect(victims).toEqual([]);
    // The freed card goes to the job that made room (it is nominated), not by DRF to initech, whose
    // share is smaller: acme keeps its five cards, the important job among them.
    const fourth = await loop.cycle();
    expect(fourth.preempts).toBe(0);
    expect((await store.getJob(important))?.state).toBe(JobState.scheduled);
    expect((await store.getJob(urgent))?.state).toBe(JobState.admitted);
    expect(await scheduledOf('globex')).toHaveLength(3);
    expect(await scheduledOf('acme')).toHaveLength(5);
  });

  it('builds one root per tenant with its quota, and a leaf per queue, also for queues only jobs name', () => {
    const t = (id: string, quota: Record<string, number> = {}) => ({ id, name: id, quota, createdAtMs: 0, updatedAtMs: 0 });
    const queues = queuesFromStore([t('acme', { 'nvidia-h20': 16, '*': 32 }), t('globex')], [{ tenant: 'acme', name: 'train', weight: 2, priority: 1, createdAtMs: 0 }], [[{ tenant: 'globex', queue: 'default' } as never, { tenant: 'ghost', queue: 'q' } as never]]);
    expect(queues).toEqual([
      { name: 'acme', tenant: 'acme', quota: { 'nvidia-h20': 16, '*': 32 } },
      { name: 'globex', tenant: 'globex' },
      { name: 'acme/train', parent: 'acme', tenant: 'acme', weight: 2, priority: 1 },
      { name: 'globex/default', parent: 'globex', tenant: 'globex', weight: 1, priority: 0 },
      { name: 'ghost', tenant: 'ghost' },
      { name: 'ghost/q', parent: 'ghost', tenant: 'ghost', weight: 1, priority: 0 },
    ]);
  });
});

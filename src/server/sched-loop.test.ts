/**
 * The loop's write path at more than one chunk: admissions, binds and explanations are written in
 * short transactions (so the API is never held for long); together they must still do exactly what
 * one transaction did. And the per-record conversion cache must follow version changes.
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
import { SchedulingLoop } from './sched-loop.js';
import { toSchedJob } from './snapshot.js';

const sys = { id: 'test', role: 'system' as const };

describe('scheduling loop write chunks', () => {
  let dir: string;
  let store: Store;
  let loop: SchedulingLoop;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-loop-'));
    store = await openSqliteStore({ path: join(dir, 'tessera.db') });
    loop = new SchedulingLoop({ store, catalog: builtinCatalog(), metrics: createMetrics(), log: pino({ level: 'silent' }), holder: 'chunks', nodeLeaseSec: 1_000_000 });
  });
  afterEach(async () => {
    await loop.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admits, binds and explains across several chunks, one card per job, none twice', async () => {
    // 15 nodes x 8 cards = 120 cards; 450 one-card jobs: more than two admission chunks (200),
    // binds over several decision chunks (50), and 330 waiting jobs to explain.
    for (let n = 0; n < 15; n++) {
      await store.registerNode({ id: `n${n}`, cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })), simulated: true }, sys);
    }
    for (let i = 0; i < 450; i++) await store.submitJob(normalizeJobSpec({ name: `j${i}`, kind: 'batch', command: ['x'], resources: { count: 1 } }), { actor: sys });
    const r = await loop.cycle();
    expect(r.leader).toBe(true);
    expect(r.admitted).toBe(450);
    expect(r.binds).toBe(120);
    expect(r.refused).toBe(0);
    const devices = await store.listDevices();
    expect(devices).toHaveLength(120);
    expect(devices.every((d) => d.usedMilli === 1000)).toBe(true);
    const scheduled = await store.listJobs({ states: [JobState.scheduled], limit: 1000, offset: 0 });
    expect(scheduled.total).toBe(120);
    const cards = scheduled.items.flatMap((j) => j.placements.flatMap((p) => p.devices.map((d) => `${p.nodeId}/${d}`)));
    expect(new Set(cards).size).toBe(120);
    const waiting = await store.listJobs({ states: [JobState.admitted], limit: 1000, offset: 0 });
    expect(waiting.total).toBe(330);
    // Every waiting job got its explanation written, across explanation chunks.
    const explained = await Promise.all(waiting.items.map((j) => store.getJob(j.id)));
    expect(explained.filter((j) => j?.explain && j.explain.length > 0)).toHaveLength(330);
  });

  it('converts a job record once per version', async () => {
    const job = await store.submitJob(normalizeJobSpec({ name: 'a', kind: 'batch', command: ['x'], resources: { count: 2 }, priority: 1 }), { actor: sys });
    const first = toSchedJob(job.job);
    expect(toSchedJob(job.job)).toBe(first);
    expect(first).toMatchObject({ id: job.job.id, cards: 2, priority: 1 });
    // A changed job is a new record (the store re-reads it): it converts afresh.
    const changed = { ...job.job, priority: 3, version: 2 };
    expect(toSchedJob(changed).priority).toBe(3);
  });
});

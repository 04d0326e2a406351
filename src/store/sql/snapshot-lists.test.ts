/**
 * The scheduling snapshot keeps its job lists from cycle to cycle and merges changes in. Oracle: a
 * second store on the same database file, opened afresh for every check (empty cache, full sort).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRng } from '../../sched/index.js';
import { normalizeJobSpec } from '../../workload/index.js';
import { openSqliteStore } from '../sqlite/store.js';
import type { SchedState } from '../types.js';
import type { SqlStore } from './sql-store.js';

const sys = { id: 'test', role: 'system' as const };
const ids = (s: SchedState) => ({ running: s.running.map((j) => `${j.id}@${j.version}`), admitted: s.admitted.map((j) => `${j.id}@${j.version}`), pending: s.pending.map((j) => `${j.id}@${j.version}`) });

describe('incremental scheduling snapshot', () => {
  let dir: string;
  let store: SqlStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-snap-'));
    store = await openSqliteStore({ path: join(dir, 'tessera.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fresh = async (): Promise<SchedState> => {
    const other = await openSqliteStore({ path: join(dir, 'tessera.db') });
    try {
      return await other.schedState();
    } finally {
      await other.close();
    }
  };

  it('matches a fresh full read through submissions, admissions, cancellations and binds', async () => {
    await store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })), simulated: true }, sys);
    const rng = seededRng(3);
    const submit = async (n: number) => {
      for (let i = 0; i < n; i++) await store.submitJob(normalizeJobSpec({ name: `j${i}`, kind: 'batch', command: ['x'], resources: { count: 1 }, priority: rng.int(4) }), { actor: sys });
    };
    await submit(40);
    for (let round = 0; round < 5; round++) {
      const s = await store.schedState();
      expect(ids(s)).toEqual(ids(await fresh()));
      // Admit a few pending, cancel one waiting job, bind one admitted job, and submit more.
      await store.admitJobs(s.pending.slice(0, 7).map((j) => ({ id: j.id, version: j.version })), sys);
      const victim = s.admitted[1] ?? s.pending[10];
      if (victim) await store.cancelJob(victim.id, sys);
      const bind = s.admitted[0];
      if (bind) {
        const used = s.running.length;
        await store.applyDecisions([{ kind: 'bind', jobId: bind.id, chip: 'nvidia-h20', placements: [{ nodeId: 'n1', devices: [used % 8], milliPerDevice: 1000 }] } as never], { actor: sys, versions: { [bind.id]: bind.version } });
      }
      await submit(5);
    }
    const last = await store.schedState();
    expect(ids(last)).toEqual(ids(await fresh()));
    expect(last.running.length).toBeGreaterThan(0);
    expect(last.admitted.length).toBeGreaterThan(0);
    // Sorted: priority first (high to low), then submission time.
    for (let i = 1; i < last.pending.length; i++) expect(last.pending[i - 1]!.priority).toBeGreaterThanOrEqual(last.pending[i]!.priority);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spec, storeConformance } from '../conformance.js';
import { openSqliteStore } from './store.js';

storeConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
  let t = 1_800_000_000_000;
  const store = await openSqliteStore({ path: join(dir, 'tessera.db'), now: () => t });
  return {
    store,
    advance: (ms) => (t += ms),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite group commit', () => {
  it('commits concurrent writes together and fails only the one that failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-group-'));
    const store = await openSqliteStore({ path: join(dir, 'tessera.db') });
    try {
      const actor = { id: 'a', role: 'admin' as const };
      await store.submitJob(spec({ name: 'first' }), { actor, idempotencyKey: 'taken' });
      const attempts = Array.from({ length: 20 }, (_, i) =>
        i === 5 ? store.submitJob(spec({ name: 'other' }), { actor, idempotencyKey: 'taken' }) : i === 9 ? store.submitJob(spec({ tenant: 'nope' }), { actor }) : store.submitJob(spec({ name: `j${i}` }), { actor }),
      );
      const settled = await Promise.allSettled(attempts);
      expect(settled.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code: string }).code)).toEqual(['conflict', 'infeasible']);
      expect((await store.listJobs({ limit: 100, offset: 0 })).total).toBe(19);
      // Every job the group acknowledged is really there, with its event.
      const events = await store.listEvents(0, 1000);
      expect(events.filter((e) => e.type === 'job.submitted')).toHaveLength(19);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

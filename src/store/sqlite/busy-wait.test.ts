/**
 * Waiting for another connection's write lock must not block the event loop: the lock holder here
 * runs on the same thread, so a synchronous busy wait could never see it let go.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { normalizeJobSpec } from '../../workload/index.js';
import { openSqliteStore } from './store.js';

describe('sqlite write lock wait', () => {
  it('waits for another connection without stalling the event loop, then commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-busy-'));
    const path = join(dir, 'tessera.db');
    const store = await openSqliteStore({ path });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      setTimeout(() => other.exec('COMMIT'), 60);
      const { job, created } = await store.submitJob(normalizeJobSpec({ name: 'x', kind: 'batch', command: ['x'], resources: { count: 1 } }), { actor: { id: 't', role: 'system' } });
      clearInterval(ticker);
      expect(created).toBe(true);
      expect(ticks).toBeGreaterThan(0);
      expect((await store.getJob(job.id))?.id).toBe(job.id);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

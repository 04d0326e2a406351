/**
 * Store behaviour that needs a database file reopened: node silence after a control-plane restart,
 * and the migration that moves log chunks written under the old per-rank seq ranges.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { openSqliteStore } from './store.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-agentproto-'));
  dirs.push(dir);
  return join(dir, 'tessera.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('node silence across a control-plane restart', () => {
  it('gives every node a full lease after the restart, however long the outage', async () => {
    const path = tempDb();
    let t = 1_800_000_000_000;
    const first = await openSqliteStore({ path, now: () => t });
    await first.registerNode({ id: 'n1', cluster: 'c', chip: 'nvidia-h20', devices: [{ index: 0 }] }, { id: 'node:n1', role: 'agent' });
    await first.registerNode({ id: 'n2', cluster: 'c', chip: 'nvidia-h20', devices: [{ index: 0 }] }, { id: 'node:n2', role: 'agent' });
    await first.close();

    t += 3_600_000; // an hour down, far past a 30 s lease
    const second = await openSqliteStore({ path, now: () => t });
    try {
      expect(await second.silentNodes(30_000)).toEqual([]);
      t += 20_000;
      await second.heartbeat('n1', {});
      expect(await second.silentNodes(30_000)).toEqual([]);
      t += 10_001; // a full lease since the restart: n2 never came back
      expect(await second.silentNodes(30_000)).toEqual(['n2']);
    } finally {
      await second.close();
    }
  });
});

describe('migration 3: log lines keyed by node rank', () => {
  it('unfolds the old per-rank seq ranges into (rank, seq) and keeps every line', async () => {
    const path = tempDb();
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    for (const m of migrations.filter((x) => x.version <= 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(m.version, m.name);
    }
    const ins = db.prepare('INSERT INTO job_logs (job_id, attempt, seq, stream, at, text) VALUES (?, ?, ?, ?, ?, ?)');
    ins.run('j1', 1, 1, 'stdout', 10, 'rank0 line1');
    ins.run('j1', 1, 100_000_001, 'stdout', 11, 'rank1 line1');
    ins.run('j1', 1, 2, 'stderr', 12, 'rank0 line2');
    db.close();

    const store = await openSqliteStore({ path });
    try {
      expect(await store.migrations()).toContain(3);
      const lines = await store.readLogs('j1', { after: 0, limit: 10 });
      expect(lines.map((l) => [l.nodeRank, l.seq, l.stream, l.text])).toEqual([
        [0, 1, 'stdout', 'rank0 line1'],
        [1, 1, 'stdout', 'rank1 line1'],
        [0, 2, 'stderr', 'rank0 line2'],
      ]);
      // A resent old chunk lands on the migrated key and is not doubled.
      expect(await store.appendLogs('j1', 1, [{ seq: 1, stream: 'stdout', text: 'rank1 line1' }], { nodeRank: 1, nodeId: 'n1' })).toBe(0);
    } finally {
      await store.close();
    }
  });
});

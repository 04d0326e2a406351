/**
 * Two control planes (two stores, two connection pools) on one PostgreSQL database apply
 * conflicting decisions at the same time; no card share may ever be given twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase, pgAvailability, stopSharedPostgres } from '../../../test/pg/pg-harness.js';
import { parseJobSpec } from '../../workload/index.js';
import type { Actor, Decision } from '../types.js';
import { openPostgresStore } from './store.js';

const { skipReason } = pgAvailability();
const admin: Actor = { id: 'admin', role: 'admin' };

describe.skipIf(skipReason !== null)('two control planes on one PostgreSQL', () => {
  afterAll(stopSharedPostgres);

  it('never allocates a card twice when both apply conflicting decisions concurrently', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([openPostgresStore({ url }), openPostgresStore({ url })]);
    const nodes = 4;
    const cards = 4;
    for (let n = 0; n < nodes; n++) {
      await a.registerNode({ id: `n${n}`, cluster: 'c', chip: 'nvidia-h20', devices: Array.from({ length: cards }, (_, i) => ({ index: i })) }, admin);
    }
    // 48 jobs for 16 cards: whole cards, 2-card gangs and half-card shares.
    const jobs: { id: string; cards: number; milli: number }[] = [];
    for (let i = 0; i < 48; i++) {
      const count = i % 3 === 1 ? 2 : 1;
      const milli = i % 3 === 2 ? 500 : 1000;
      const { job } = await a.submitJob(parseJobSpec({ name: `j${i}`, kind: 'batch', command: ['x'], resources: { count, milliPerCard: milli } }), { actor: admin });
      jobs.push({ id: job.id, cards: count, milli });
    }
    const state = await a.schedState();
    await a.admitJobs(state.pending.map((j) => ({ id: j.id, version: j.version })), admin);
    // Each plane places every job greedily on its own (differently rotated) view of the free cards,
    // so the two batches collide on cards and on jobs.
    const plan = (rotate: number): Decision[] => {
      const free = new Map<string, number>();
      for (let n = 0; n < nodes; n++) for (let d = 0; d < cards; d++) free.set(`n${(n + rotate) % nodes}/${d}`, 1000);
      const out: Decision[] = [];
      for (const j of rotate % 2 === 0 ? jobs : [...jobs].reverse()) {
        const picks = [...free.entries()].filter(([, m]) => m >= j.milli).slice(0, j.cards);
        if (picks.length < j.cards) continue;
        const byNode = new Map<string, number[]>();
        for (const [key] of picks) {
          free.set(key, free.get(key)! - j.milli);
          const [nodeId, idx] = key.split('/') as [string, string];
          byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), Number(idx)]);
        }
        out.push({ kind: 'bind', jobId: j.id, chip: 'nvidia-h20', placements: [...byNode].map(([nodeId, devices]) => ({ nodeId, devices, milliPerDevice: j.milli })) });
      }
      return out;
    };
    const [ra, rb] = await Promise.all([
      a.applyDecisions(plan(0), { actor: { id: 'plane-a', role: 'system' }, versions: {} }),
      b.applyDecisions(plan(1), { actor: { id: 'plane-b', role: 'system' }, versions: {} }),
    ]);
    expect(ra.applied.length + rb.applied.length).toBeGreaterThan(0);
    // Both planes planned the same cards: whichever committed second had its binds refused.
    expect(ra.refused.length + rb.refused.length).toBeGreaterThan(0);
    const appliedIds = [...ra.applied, ...rb.applied].map((d) => d.jobId);
    expect(new Set(appliedIds).size).toBe(appliedIds.length);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const over = await client.query('SELECT node_id, idx, SUM(milli) AS m FROM allocations GROUP BY node_id, idx HAVING SUM(milli) > 1000');
      expect(over.rows).toEqual([]);
      const drift = await client.query(
        'SELECT d.node_id, d.idx FROM devices d LEFT JOIN (SELECT node_id, idx, SUM(milli) AS m FROM allocations GROUP BY node_id, idx) a ON a.node_id = d.node_id AND a.idx = d.idx WHERE d.used_milli <> COALESCE(a.m, 0)',
      );
      expect(drift.rows).toEqual([]);
      const perJob = await client.query("SELECT j.id, j.cards, COUNT(a.idx) AS n FROM jobs j LEFT JOIN allocations a ON a.job_id = j.id WHERE j.state = 'Scheduled' GROUP BY j.id, j.cards");
      for (const r of perJob.rows) expect(Number(r.n)).toBe(Number(r.cards));
      const scheduled = await client.query("SELECT COUNT(*) AS n FROM jobs WHERE state = 'Scheduled'");
      expect(Number(scheduled.rows[0].n)).toBe(appliedIds.length);
    } finally {
      await client.end();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps the second control plane a hot standby until the leader lease ends', async () => {
    const url = await freshDatabase();
    let t = 1_800_000_000_000;
    const [a, b] = await Promise.all([openPostgresStore({ url, now: () => t }), openPostgresStore({ url, now: () => t })]);
    try {
      const [la, lb] = await Promise.all([a.acquireLease('scheduler', 'plane-a', 10_000), b.acquireLease('scheduler', 'plane-b', 10_000)]);
      // Exactly one of the two racing planes holds it, and both agree which.
      expect(la.holder).toBe(lb.holder);
      const leader = la.holder;
      const standby = leader === 'plane-a' ? b : a;
      const standbyName = leader === 'plane-a' ? 'plane-b' : 'plane-a';
      t += 5_000;
      expect((await standby.acquireLease('scheduler', standbyName, 10_000)).holder).toBe(leader);
      t += 10_001;
      const taken = await standby.acquireLease('scheduler', standbyName, 10_000);
      expect(taken).toMatchObject({ holder: standbyName, epoch: la.epoch + 1 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

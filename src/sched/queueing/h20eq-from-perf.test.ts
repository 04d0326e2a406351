import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../catalog/index.js';
import { job, node } from '../test-util/fixtures.js';
import { h20eqFromPerf } from './h20eq-from-perf.js';
import { bound, q, reasons, run } from './test-helpers.js';

describe('h20eqFromPerf', () => {
  const catalog = builtinCatalog();

  it('weights from the performance model: the H20 is 1, a chip the catalog lacks is listed as missing', () => {
    const t = h20eqFromPerf(catalog, ['nvidia-h20', 'nvidia-h100', 'no-such-chip'], 'llm-serve-8b');
    expect(t.table['nvidia-h20']).toBe(1);
    expect(t.table['nvidia-h100']).toBeGreaterThan(1);
    expect(t.missing).toEqual([{ chip: 'no-such-chip', reason: 'not in the catalog' }]);
  });

  it('feeds an h20eq quota', () => {
    const t = h20eqFromPerf(catalog, ['nvidia-h100'], 'llm-serve-8b');
    const w = t.table['nvidia-h100'] as number;
    // Quota of exactly 2 H100s in H20-eq: two 1-card jobs fit, a third does not.
    const queues = [q('team', { tenant: 't', quota: { h20eq: 2 * w } })];
    const jobs = ['a', 'b', 'c'].map((id, i) => job(id, { tenant: 't', queue: 'team', priority: 3 - i }));
    const r = run({ nodes: [node('g1', 'nvidia-h100', 8)], queues }, jobs, { h20eq: t.table });
    expect(bound(r)).toEqual(['a', 'b']);
    expect(reasons(r, 'c')).toContain('quota for h20eq exhausted');
  });
});

import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../plugins/index.js';
import { profileSpec } from '../profiles.js';
import { seededRng } from '../rng.js';
import { schedule } from '../schedule.js';
import { job, node } from '../test-util/fixtures.js';
import type { SchedJob, SchedNode } from '../types.js';

/**
 * Grouping identical nodes is an optimisation only: the same profile must bind the same jobs to the
 * same devices whether it scores one representative per group or every node. A filter that declares
 * `perNode` turns grouping off, which gives the reference run.
 */
describe('groups of identical nodes', () => {
  const registry = builtinRegistry().register('per-node-probe', () => ({ name: 'per-node-probe', perNode: true, filter: () => null }));
  const rng = seededRng(3);
  const nodes: SchedNode[] = Array.from({ length: 60 }, (_, i) =>
    node(`n${i}`, i % 3 === 0 ? 'a' : 'b', i % 4 === 0 ? 4 : 8, { rack: `r${i % 5}`, cpuMilliFree: 64000, memoryMiBFree: 1 << 20, linkDomainSize: i % 2 ? 4 : 8 }),
  );
  const queue: SchedJob[] = Array.from({ length: 400 }, (_, i) => {
    const r = rng.next();
    const shape = r < 0.4 ? { cards: 1, milliPerCard: [250, 500, 700][i % 3] as number } : r < 0.8 ? { cards: [1, 2, 4][i % 3] as number, milliPerCard: 1000 } : r < 0.9 ? { cards: 16, milliPerCard: 1000, gang: true } : { cards: 0, milliPerCard: 0 };
    return job(`j${i}`, { ...shape, cpuMilli: 1000 + (i % 7) * 500, chips: i % 5 === 0 ? { kind: 'pinned', chip: 'a' } : { kind: 'any' } });
  });

  for (const name of ['fgd', 'default', 'best-fit', 'gpu-packing', 'gpu-clustering', 'dot-product']) {
    it(`${name}: the same decisions with and without grouping`, () => {
      const grouped = schedule({ nodes, running: [], nowSec: 0 }, queue, { profile: name, rng: seededRng(1), registry });
      const spec = profileSpec(name);
      spec.filter = [...(spec.filter ?? []), 'per-node-probe'];
      const perNode = schedule({ nodes, running: [], nowSec: 0 }, queue, { profile: spec, rng: seededRng(1), registry });
      expect(grouped.decisions.filter((d) => d.kind === 'bind').length).toBeGreaterThan(50);
      expect(grouped.decisions).toEqual(perNode.decisions);
    });
  }
});

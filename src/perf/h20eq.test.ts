import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { expandFleet } from '../fleet/index.js';
import type { Fleet } from '../fleet/types.js';
import { workloadClasses } from './data/workload-classes.js';
import { declaredFromFleet, fleetH20eq, h20eq, matrix, matrixToCsv } from './h20eq.js';

const catalog = builtinCatalog();

function fleetOf(groups: { id: string; chip: string; servers: number; cardsPerServer: number; pflops?: number }[]): Fleet {
  return expandFleet({
    name: 't',
    clusters: [{ id: 'c' }],
    nodeGroups: groups.map((g) => ({ id: g.id, cluster: 'c', chip: g.chip, servers: g.servers, cardsPerServer: g.cardsPerServer, ...(g.pflops ? { declared: { pflops: g.pflops, source: 'contract' } } : {}) })),
  });
}

describe('H20-equivalents', () => {
  it('an H20 is worth exactly one H20 for every class', () => {
    for (const c of workloadClasses) expect(h20eq(catalog, 'nvidia-h20', c.id).h20eq).toBe(1);
  });

  it('is per class: an H100 is worth more H20s for compute-bound training than for bandwidth-bound decode', () => {
    const train = h20eq(catalog, 'h100', 'llm-pretrain-70b').h20eq!;
    const decode = h20eq(catalog, 'h100', 'llm-decode-70b').h20eq!;
    // H100 has 989/148 = 6.7x the H20's compute but only 3.35/4.0 of its bandwidth.
    expect(train).toBeGreaterThan(4);
    expect(train).toBeLessThan(989 / 148);
    expect(decode).toBeLessThan(train);
  });

  it('a chip with unknown figures has no H20-equivalent, with the reason', () => {
    const e = h20eq(catalog, 'thead-ppu', 'llm-serve-8b');
    expect(e.h20eq).toBeNull();
    expect(e.reason).toMatch(/thead-ppu: cannot estimate/);
  });

  it('fleet capacity: sums cards x H20-equivalents; a contract declaration fills the missing compute', () => {
    const fleet = fleetOf([
      { id: 'h20s', chip: 'nvidia-h20', servers: 2, cardsPerServer: 8 },
      { id: 'ppus', chip: 'thead-ppu', servers: 1, cardsPerServer: 16, pflops: 1.9 },
    ]);
    const declared = declaredFromFleet(fleet);
    expect(declared.get('thead-ppu')?.bf16Tflops).toBeCloseTo(1900 / 16, 6);
    const [pre] = fleetH20eq(fleet, catalog, undefined, ['llm-pretrain-8b']);
    expect(pre!.cards).toBe(32);
    const ppu = pre!.byChip.find((b) => b.chip === 'thead-ppu')!;
    expect(ppu.h20eqPerCard).not.toBeNull();
    expect(pre!.h20eq).toBeCloseTo(16 + 16 * ppu.h20eqPerCard!, 3);
    expect(pre!.confidence).toBe('low');
    const [serve] = fleetH20eq(fleet, catalog, undefined, ['llm-serve-8b']);
    // PPU memory bandwidth is unknown: its 16 cards are left out and counted
    expect(serve!.cardsWithoutEstimate).toBe(16);
    expect(serve!.h20eq).toBe(16);
  });

  it('matrix: one cell per class and chip, exportable as CSV', () => {
    const chips = ['nvidia-h20', 'nvidia-h100', 'thead-ppu'].map((id) => catalog.get(id));
    const m = matrix(['llm-serve-8b', 'llm-finetune-7b-lora'], chips);
    expect(m.cells).toHaveLength(2);
    expect(m.cells[0]).toHaveLength(3);
    const csv = matrixToCsv(m).trim().split('\n');
    expect(csv[0]).toBe('class,unit,nvidia-h20,nvidia-h100,thead-ppu');
    expect(csv[1]).toMatch(/^llm-serve-8b,output tokens\/s\/card,[\d.]+,[\d.]+,$/);
  });
});

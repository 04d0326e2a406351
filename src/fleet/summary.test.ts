import { describe, expect, it } from 'vitest';
import { builtinFleetDoc } from './builtin/index.js';
import { expandFleet } from './expand.js';
import { parseFleet } from './parse.js';
import { summarizeFleet } from './summary.js';
import { builtinCatalog } from '../catalog/index.js';

const catalog = builtinCatalog();

describe('summarizeFleet: unicom-2025 (seed-facts.md section 2)', () => {
  const s = summarizeFleet(expandFleet(builtinFleetDoc('unicom-2025', catalog)), catalog);

  it('counts 1747 servers and 22832 cards in 4 clusters', () => {
    expect([s.clusters, s.servers, s.cards]).toEqual([4, 1747, 22832]);
    expect(s.byChip.map((c) => [c.chip, c.servers, c.cards])).toEqual([
      ['thead-ppu', 1024, 16384],
      ['metax-c500', 512, 4096],
      ['biren-br104', 83, 1328],
      ['zhonghao-chana', 128, 1024],
    ]);
  });

  it('keeps the per-contract figures, their sum 3579 and the stated 3479, and warns', () => {
    expect(s.byChip.map((c) => c.declaredPflops)).toEqual([1945, 984, 450, 200]);
    expect(s.byGroup.map((g) => g.declaredPflops)).toEqual([1945, 984, 450, 200]);
    expect(s.sumOfDeclaredPflops).toBe(3579);
    expect(s.declaredTotalPflops).toBe(3479);
    expect(s.warnings[0]).toBe(
      "Declared compute disagrees: the node groups' declared figures sum to 3579 P (1945 + 984 + 450 + 200) but the fleet's declared total is 3479 P, a difference of 100 P. Both are kept; Tessera does not pick one.",
    );
  });

  it('marks the Zhonghao card count as derived (the report gives servers and compute only)', () => {
    expect(s.byGroup.map((g) => [g.group, g.cards, g.cardsDerived])).toEqual([
      ['ppu', 16384, false],
      ['metax', 4096, false],
      ['biren', 1328, false],
      // 22832 - 16384 - 4096 - 1328 = 1024
      ['zhonghao', 1024, true],
    ]);
  });

  it('shows implied per-card figures as derived: 118.7, 240.2, 338.9, 195.3 TFLOPS', () => {
    expect(s.byChip.map((c) => c.impliedTflopsPerCard)).toEqual([118.7, 240.2, 338.9, 195.3]);
  });

  it('uses catalog peaks where known and declared ones otherwise, and flags Biren 680 P vs 450 P', () => {
    const biren = s.byChip.find((c) => c.chip === 'biren-br104');
    // 1328 cards x 512 TFLOPS bf16 = 679.936 PFLOPS
    expect(biren).toMatchObject({ catalogPflops: 679.936, peakPflops: 679.936, peakBasis: 'catalog', declaredPflops: 450 });
    expect(s.byChip.find((c) => c.chip === 'thead-ppu')).toMatchObject({ catalogPflops: null, peakPflops: 1945, peakBasis: 'declared' });
    expect(s.warnings).toContain(
      'biren-br104: catalog peak 1328 cards x 512 TFLOPS bf16 = 679.936 P differs from the declared 450 P (implied 338.9 TFLOPS per card, derived) by 51%; the declaration does not state its precision; the catalog figure is press',
    );
    // Chana: the catalog's derived 298.7 T (896 / 3, [Z2]) x 1024 = 305.869 P, also flagged against 200 P.
    expect(s.byChip.find((c) => c.chip === 'zhonghao-chana')).toMatchObject({ catalogPflops: 305.869, peakBasis: 'catalog', declaredPflops: 200 });
    expect(s.warnings.some((w) => w.startsWith('zhonghao-chana: catalog peak 1024 cards x 298.7 TFLOPS bf16 = 305.869 P differs from the declared 200 P'))).toBe(true);
    // 1945 + 984 declared + 679.936 + 305.869 catalog = 3914.805
    expect(s.peakPflops).toBe(3914.805);
    expect(s.peakFromDeclaredPflops).toBe(2929);
  });

  it('sums memory where the catalog knows it and counts the rest', () => {
    // 16384 x 96 + 4096 x 64 + 1328 x 32 GiB; Chana memory unknown (1024 cards)
    expect(s.memoryGiB).toBe(16384 * 96 + 4096 * 64 + 1328 * 32);
    expect(s.memoryUnknownCards).toBe(1024);
  });
});

describe('summarizeFleet: other fleets', () => {
  it('demo: six chips, no declared figures, no disagreement warning', () => {
    const s = summarizeFleet(expandFleet(builtinFleetDoc('demo', catalog)), catalog);
    expect(s.byChip).toHaveLength(6);
    expect(s.declaredTotalPflops).toBeNull();
    expect(s.sumOfDeclaredPflops).toBeNull();
    expect(s.warnings.some((w) => w.startsWith('Declared compute disagrees'))).toBe(false);
    // H20: 4 servers x 8 cards x 148 TFLOPS = 4.736 PFLOPS
    expect(s.byChip.find((c) => c.chip === 'nvidia-h20')?.catalogPflops).toBe(4.736);
  });

  it('warns when declared servers or cards differ from the node groups', () => {
    const doc = parseFleet(
      'name: x\nclusters: [{id: a}]\nnodeGroups: [{id: g, cluster: a, chip: h20, servers: 2, cardsPerServer: 8, declared: {cards: 20}}]\ndeclared: {servers: 3}\n',
      'x.yaml',
      catalog,
    );
    const s = summarizeFleet(expandFleet(doc), catalog);
    expect(s.warnings).toEqual(['The fleet declares 3 servers but its node groups hold 2', 'g: declares 20 cards but has 16']);
  });

  it('never reports NaN or Infinity', () => {
    const s = summarizeFleet(expandFleet(builtinFleetDoc('unicom-2025', catalog)), catalog);
    // JSON.stringify would hide NaN as null, so walk the values.
    const bad: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (typeof v === 'number' && !Number.isFinite(v)) bad.push(path);
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
    };
    walk(s, '');
    expect(bad).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { findModelPreset } from '../workload/models/presets.js';
import { bestChip, bestInfer, bestTrain } from './search.js';
import { testChip, testChips } from './test-chips.js';

const m70 = findModelPreset('llama-3.1-70b')!;
const m8 = findModelPreset('llama-3.1-8b')!;

describe('search', () => {
  it('finds a training layout that fits 70B on 8 cards (tensor or pipeline parallel), and reports it', () => {
    const r = bestTrain({ model: m70, chip: testChips.h100, cards: 8, seqLen: 4096, method: 'lora' });
    expect(r.kind).toBe('train');
    if (r.kind !== 'train') return;
    expect(r.layout.tp * r.layout.pp).toBeGreaterThan(1);
    expect(r.memoryPerCardGiB).toBeLessThanOrEqual(80);
    expect(r.assumptions.length).toBeGreaterThan(3);
  });

  it('serving a small model prefers many small replicas over one wide TP group', () => {
    const r = bestInfer({ model: m8, chip: testChips.h100, cards: 8, inputTokens: 512, outputTokens: 512 });
    expect(r.kind === 'inference' && r.layout).toMatchObject({ tp: 1, replicas: 8 });
  });

  it('reports the smallest need when nothing fits', () => {
    const r = bestInfer({ model: findModelPreset('llama-3.1-405b')!, chip: testChips.l20, cards: 2, inputTokens: 100, outputTokens: 100 });
    expect(r).toMatchObject({ kind: 'infeasible', fits: false });
  });

  it('when no layout meets an SLO, the reason comes from the layout that comes closest', () => {
    const r = bestInfer({ model: m70, chip: testChips.a100, cards: 8, inputTokens: 256, outputTokens: 256, tpotMs: 5 });
    expect(r.kind).toBe('infeasible');
    if (r.kind !== 'infeasible') return;
    expect(r.reason).toMatch(/with tp 8 x pp 1/);
    expect(r.sloShortfall).toBeGreaterThan(1);
  });

  it('ranks chips by objective; unknown price leaves a chip unranked with the reason', () => {
    const cheap = testChip('cheap', { mem: 80, bw: 2000, bf16: 312, link: 600, tdp: 400, priceCnyPerHour: 5 });
    const fast = testChip('fast', { mem: 80, bw: 3350, bf16: 989, link: 900, tdp: 700, priceCnyPerHour: 30 });
    const nopay = testChip('no-price', { mem: 80, bw: 3350, bf16: 989, link: 900, tdp: 700 });
    const w = { task: 'inference', request: { model: m8, inputTokens: 512, outputTokens: 256 } } as const;
    const byTime = bestChip(w, [cheap, fast, nopay], 'time', () => 1);
    expect(byTime[0]!.chip).toMatch(/fast|no-price/);
    const byCost = bestChip(w, [cheap, fast, nopay], 'cost', () => 1);
    expect(byCost[0]!.chip).toBe('cheap');
    expect(byCost[2]).toMatchObject({ chip: 'no-price', score: null, note: expect.stringMatching(/price unknown/) });
    // cost = price x cards / tokens per second, per million tokens
    expect(byCost[0]!.score).toBeCloseTo((5 / 3600) * (1e6 / byCost[0]!.tokensPerSec!), 6);
  });
});

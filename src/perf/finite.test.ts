import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { modelPresets } from '../workload/models/presets.js';
import { bestInfer, bestTrain } from './search.js';

/** Every number anywhere in the value is finite (no NaN, no Infinity). */
function nonFinitePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${path}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}/${k}`));
  return [];
}

describe('never NaN or Infinity: every preset on every catalog chip', () => {
  const chips = builtinCatalog().chips;
  it.each(modelPresets.map((m) => [m.id, m] as const))('%s', (_id, model) => {
    let estimates = 0;
    const huge = (model.published.totalParamsB ?? 0) > 300;
    for (const chip of chips) {
      const inf = bestInfer({ model, chip, cards: huge ? 32 : 8, precision: huge ? 'int4' : 'bf16', inputTokens: 512, outputTokens: 128, tpotMs: 200 });
      expect(nonFinitePaths(inf), `${model.id} inference on ${chip.id}`).toEqual([]);
      const train = bestTrain({ model, chip, cards: huge ? 64 : 16, seqLen: 2048, globalBatchTokens: 1 << 20, ...(huge ? { method: 'lora' as const } : {}) });
      expect(nonFinitePaths(train), `${model.id} training on ${chip.id}`).toEqual([]);
      for (const r of [inf, train]) {
        expect(['inference', 'train', 'infeasible', 'cannot-estimate']).toContain(r.kind);
        if (r.kind === 'infeasible' || r.kind === 'cannot-estimate') expect(r.reason.length).toBeGreaterThan(10);
        else estimates++;
      }
    }
    // Chips with known figures give numbers for every preset except those that cannot fit.
    expect(estimates).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { isTesseraError } from '../lib/errors.js';
import { findModelPreset } from '../workload/models/presets.js';
import { modelShape } from '../workload/models/shape.js';
import { estimateInfer } from './infer.js';
import { testChip, testChips } from './test-chips.js';
import type { InferEstimate, InferResult } from './types.js';
import { GiB } from './validate-input.js';

/** Outputs are rounded to 4 significant digits: compare relatively. */
const near = (a: number, b: number): void => expect(Math.abs(a / b - 1)).toBeLessThan(2e-3);

const m8 = findModelPreset('llama-3.1-8b')!;
const m70 = findModelPreset('llama-3.1-70b')!;

function ok(r: InferResult): InferEstimate {
  if (r.kind !== 'inference') throw new Error(`expected an estimate, got ${r.kind}: ${r.reason}`);
  return r;
}

describe('inference estimate: sanity properties', () => {
  it('more memory bandwidth never slows decoding (TPOT at a fixed batch, throughput at max load)', () => {
    let lastTpot = Infinity;
    let lastTput = 0;
    for (const bw of [800, 1600, 2400, 3350, 4800, 8000]) {
      const chip = testChip(`bw-${bw}`, { mem: 80, bw, bf16: 989, link: 900 });
      const fixed = ok(estimateInfer({ model: m70, chip, cards: 4, tp: 4, inputTokens: 256, outputTokens: 1024, batch: 16 }));
      const max = ok(estimateInfer({ model: m70, chip, cards: 4, tp: 4, inputTokens: 256, outputTokens: 1024 }));
      expect(fixed.tpotMs).toBeLessThanOrEqual(lastTpot);
      expect(max.outputTokensPerSecPerCard).toBeGreaterThanOrEqual(lastTput);
      lastTpot = fixed.tpotMs;
      lastTput = max.outputTokensPerSecPerCard;
    }
  });

  it('H200 decodes a 70B model faster than H100, by no more than the bandwidth ratio 4.8/3.35', () => {
    const catalog = builtinCatalog();
    const req = { model: m70, cards: 8, tp: 8, inputTokens: 128, outputTokens: 2048, batch: 32 } as const;
    const h100 = ok(estimateInfer({ ...req, chip: catalog.get('nvidia-h100') }));
    const h200 = ok(estimateInfer({ ...req, chip: catalog.get('nvidia-h200') }));
    const speedup = h100.tpotMs / h200.tpotMs;
    expect(speedup).toBeGreaterThan(1);
    expect(speedup).toBeLessThanOrEqual(4.8 / 3.35 + 1e-9);
  });

  it('long prompts cut output throughput', () => {
    let last = Infinity;
    for (const input of [128, 1024, 4096, 16384]) {
      const r = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, inputTokens: input, outputTokens: 256 }));
      expect(r.outputTokensPerSecPerCard).toBeLessThan(last);
      last = r.outputTokensPerSecPerCard;
    }
  });

  it('a model that does not fit says so instead of returning a number', () => {
    const r = estimateInfer({ model: findModelPreset('llama-3.1-405b')!, chip: testChips.h100, cards: 1, inputTokens: 128, outputTokens: 128 });
    expect(r.kind).toBe('infeasible');
    if (r.kind !== 'infeasible') return;
    expect(r.fits).toBe(false);
    expect(r.reason).toMatch(/does not fit: weights alone need 75\d(\.\d+)? GiB/);
    expect('outputTokensPerSecPerCard' in r).toBe(false);
  });

  it('an SLO no configuration meets is an explicit infeasible result with the reason', () => {
    const r = estimateInfer({ model: m70, chip: testChips.l20, cards: 4, tp: 4, inputTokens: 128, outputTokens: 128, tpotMs: 1 });
    expect(r.kind).toBe('infeasible');
    if (r.kind === 'infeasible') expect(r.reason).toMatch(/SLO cannot be met.*TPOT is .* ms > 1 ms/);
  });

  it('an SLO lowers the batch below the maximum and is met', () => {
    const max = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, inputTokens: 1024, outputTokens: 512 }));
    const slo = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, inputTokens: 1024, outputTokens: 512, tpotMs: 20 }));
    expect(slo.operatingPoint).toBe('slo');
    expect(slo.batch).toBeLessThan(max.batch);
    expect(slo.tpotMs).toBeLessThanOrEqual(20);
    expect(slo.slo.met).toBe(true);
  });

  it('impossible layouts are infeasible with the reason', () => {
    const heads = estimateInfer({ model: m70, chip: testChips.h100, cards: 3, tp: 3, inputTokens: 10, outputTokens: 10 });
    expect(heads.kind === 'infeasible' && heads.reason).toMatch(/tp \(3\) must divide the 64 attention heads/);
    const more = estimateInfer({ model: m70, chip: testChips.h100, cards: 4, tp: 8, inputTokens: 10, outputTokens: 10 });
    expect(more.kind === 'infeasible' && more.reason).toMatch(/needs more cards than the 4 given/);
  });

  it.each([
    ['input', { inputTokens: 0, outputTokens: 10 }],
    ['output', { inputTokens: 10, outputTokens: -5 }],
    ['output', { inputTokens: 10, outputTokens: 1.5 }],
    ['cards', { inputTokens: 10, outputTokens: 10, cards: 0 }],
    ['tpot-ms', { inputTokens: 10, outputTokens: 10, tpotMs: Number.NaN }],
  ])('bad %s is rejected with a clear error naming the field', (field, extra) => {
    try {
      estimateInfer({ model: m8, chip: testChips.h100, cards: 1, ...extra });
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e)).toBe(true);
      expect((e as Error).message).toContain(field);
    }
  });

  it('an unknown figure gives cannot-estimate; a declared one gives a low-confidence estimate', () => {
    const r = estimateInfer({ model: m8, chip: testChips.ppu, cards: 1, inputTokens: 100, outputTokens: 100 });
    expect(r.kind).toBe('cannot-estimate');
    if (r.kind === 'cannot-estimate') expect(r.missing).toEqual(['densePeak.bf16Tflops', 'memBandwidthGBps']);
    const d = ok(estimateInfer({ model: m8, chip: testChips.ppu, cards: 1, inputTokens: 100, outputTokens: 100, declared: { bf16Tflops: 118.7, memBandwidthGBps: 1800, source: 'test contract' } }));
    expect(d.confidence).toBe('low');
    expect(d.assumptions.find((a) => a.name === '16-bit dense peak')).toMatchObject({ value: 118.7, origin: 'declared', source: 'test contract' });
  });

  it('fp8 on a chip without FP8 is refused with the reason', () => {
    const r = estimateInfer({ model: m8, chip: testChips.a100, cards: 1, precision: 'fp8', inputTokens: 100, outputTokens: 100 });
    expect(r.kind).toBe('cannot-estimate');
    expect(r.kind === 'cannot-estimate' && r.reason).toMatch(/no known FP8 peak/);
  });

  it('worked arithmetic: weights and KV cache per card', () => {
    const r = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, inputTokens: 1000, outputTokens: 1000, batch: 10 }));
    const params = modelShape(m8).totalParams;
    // bf16: 2 bytes per parameter
    near(r.memory.weights, (params * 2) / GiB);
    // KV: 32 layers x 2 (K,V) x 8 heads x 128 dims x 2 bytes = 131072 bytes per token; 10 sequences x 2000 tokens
    near(r.memory.kvCache, (10 * 2000 * 131072) / GiB);
    const int4 = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, precision: 'int4', inputTokens: 1000, outputTokens: 1000, batch: 10 }));
    near(int4.memory.weights, r.memory.weights / 4);
    expect(int4.tpotMs).toBeLessThan(r.tpotMs);
  });

  it('GQA KV cache is split by TP up to the KV-head count; MLA is not', () => {
    const tp8 = ok(estimateInfer({ model: m70, chip: testChips.h100, cards: 8, tp: 8, inputTokens: 1000, outputTokens: 1000, batch: 10 }));
    const tp4 = ok(estimateInfer({ model: m70, chip: testChips.h100, cards: 4, tp: 4, inputTokens: 1000, outputTokens: 1000, batch: 10 }));
    near(tp8.memory.kvCache, tp4.memory.kvCache / 2);
    const ds = findModelPreset('deepseek-v3')!;
    const a = ok(estimateInfer({ model: ds, chip: testChips.h200, cards: 8, tp: 8, precision: 'int4', inputTokens: 1000, outputTokens: 1000, batch: 4 }));
    // 61 layers x 576 latent elements x 2 bytes, replicated on every card
    near(a.memory.kvCache, (4 * 2000 * 61 * 576 * 2) / GiB);
  });

  it('a length distribution uses its weighted means', () => {
    const r = ok(estimateInfer({ model: m8, chip: testChips.h100, cards: 1, lengths: [{ inputTokens: 100, outputTokens: 100, weight: 3 }, { inputTokens: 900, outputTokens: 500, weight: 1 }] }));
    expect(r.meanInputTokens).toBe(300);
    expect(r.meanOutputTokens).toBe(200);
  });
});
